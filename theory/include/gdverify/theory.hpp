// Umbrella header of the theory layer: everything of THEORY.md sections 1-2.
#pragma once

#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/forward_posterior.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/gaussian_reward.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/guided_score.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/log_sum_exp.hpp"
#include "gdverify/theory/metric_generator.hpp"
#include "gdverify/theory/mixture_marginal.hpp"
#include "gdverify/theory/mixture_model.hpp"
#include "gdverify/theory/real_types.hpp"
#include "gdverify/theory/reciprocal_classifier_metric.hpp"
