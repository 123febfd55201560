locals {
  # Every condition sees one series per revision, so an incident names the failing revision.
  by_revision = ["resource.label.revision_name"]

  service_filter = {
    for id in keys(var.services) : id => "resource.type = \"cloud_run_revision\" AND resource.label.service_name = \"${id}\""
  }

  notification_channels = concat(
    [
      google_monitoring_notification_channel.webhook.id,
      google_monitoring_notification_channel.pubsub.id,
    ],
    var.extra_notification_channels,
  )
}

# The model logs one structured line per prediction; this turns the score into a distribution per
# revision, which advanceRelease compares between blue and green and the drift alert watches.
resource "google_logging_metric" "prediction" {
  project = var.project_id
  name    = var.prediction_metric_name
  filter = join(" AND ", [
    "resource.type = \"cloud_run_revision\"",
    "(${join(" OR ", [for id in keys(var.services) : "resource.labels.service_name = \"${id}\""])})",
    "${var.prediction_field}:*",
  ])
  value_extractor = "EXTRACT(${var.prediction_field})"
  label_extractors = {
    revision_name = "EXTRACT(resource.labels.revision_name)"
  }

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "DISTRIBUTION"
    unit         = "1"
    display_name = "cutover prediction score"

    labels {
      key         = "revision_name"
      value_type  = "STRING"
      description = "Cloud Run revision that made the prediction"
    }
  }

  bucket_options {
    linear_buckets {
      num_finite_buckets = var.prediction_buckets.count
      width              = var.prediction_buckets.width
      offset             = var.prediction_buckets.offset
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_notification_channel" "webhook" {
  project      = var.project_id
  display_name = "cutover revertOnAlert (webhook)"
  type         = "webhook_basicauth"
  labels = {
    url      = google_cloudfunctions2_function.revert_on_alert_webhook.url
    username = var.webhook_username
  }
  user_labels = var.labels

  sensitive_labels {
    password = random_password.webhook.result
  }
}

resource "google_monitoring_notification_channel" "pubsub" {
  project      = var.project_id
  display_name = "cutover revertOnAlert (Pub/Sub)"
  type         = "pubsub"
  labels = {
    topic = google_pubsub_topic.alert_incidents.id
  }
  user_labels = var.labels
}

# 5xx responses / all responses, per revision, above the service's limit.
resource "google_monitoring_alert_policy" "error_ratio" {
  for_each = var.services

  project               = var.project_id
  display_name          = "cutover ${each.key}: 5xx ratio above ${each.value.alerts.max_5xx_ratio}"
  combiner              = "OR"
  notification_channels = local.notification_channels
  user_labels           = merge(var.labels, { cutover_service = each.key, cutover_check = "error-ratio" })

  conditions {
    display_name = "5xx ratio of a ${each.key} revision"

    condition_threshold {
      filter             = "${local.service_filter[each.key]} AND metric.type = \"run.googleapis.com/request_count\" AND metric.label.response_code_class = \"5xx\""
      denominator_filter = "${local.service_filter[each.key]} AND metric.type = \"run.googleapis.com/request_count\""
      comparison         = "COMPARISON_GT"
      threshold_value    = each.value.alerts.max_5xx_ratio
      duration           = "${each.value.alerts.duration_seconds}s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = local.by_revision
      }

      denominator_aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = local.by_revision
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A revision of Cloud Run service `${each.key}` answers more than a ${each.value.alerts.max_5xx_ratio} share of its requests with 5xx. cutover's revertOnAlert sends all traffic back to the stable revision."
  }
}

# p95 request latency per revision above the service's limit.
resource "google_monitoring_alert_policy" "latency" {
  for_each = var.services

  project               = var.project_id
  display_name          = "cutover ${each.key}: p95 latency above ${each.value.alerts.p95_latency_ms} ms"
  combiner              = "OR"
  notification_channels = local.notification_channels
  user_labels           = merge(var.labels, { cutover_service = each.key, cutover_check = "latency" })

  conditions {
    display_name = "p95 latency of a ${each.key} revision"

    condition_threshold {
      filter          = "${local.service_filter[each.key]} AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.alerts.p95_latency_ms
      duration        = "${each.value.alerts.duration_seconds}s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_95"
        group_by_fields      = local.by_revision
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A revision of Cloud Run service `${each.key}` has a p95 latency above ${each.value.alerts.p95_latency_ms} ms. cutover's revertOnAlert sends all traffic back to the stable revision."
  }
}

# Prediction drift as an absolute guard rail: the mean prediction of a revision leaves the band the
# model is known to live in. (The relative blue-vs-green drift of a release is judged by
# advanceRelease on every tick; this alert also covers a stable revision and acts between ticks.)
resource "google_monitoring_alert_policy" "prediction_drift" {
  for_each = var.services

  project               = var.project_id
  display_name          = "cutover ${each.key}: mean prediction outside [${each.value.alerts.prediction_mean_min}, ${each.value.alerts.prediction_mean_max}]"
  combiner              = "OR"
  notification_channels = local.notification_channels
  user_labels           = merge(var.labels, { cutover_service = each.key, cutover_check = "prediction-drift" })

  conditions {
    display_name = "mean prediction of a ${each.key} revision above ${each.value.alerts.prediction_mean_max}"

    condition_threshold {
      filter          = "${local.service_filter[each.key]} AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.prediction.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.alerts.prediction_mean_max
      duration        = "${each.value.alerts.duration_seconds}s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_MEAN"
        group_by_fields      = local.by_revision
      }

      trigger {
        count = 1
      }
    }
  }

  conditions {
    display_name = "mean prediction of a ${each.key} revision below ${each.value.alerts.prediction_mean_min}"

    condition_threshold {
      filter          = "${local.service_filter[each.key]} AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.prediction.name}\""
      comparison      = "COMPARISON_LT"
      threshold_value = each.value.alerts.prediction_mean_min
      duration        = "${each.value.alerts.duration_seconds}s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_MEAN"
        group_by_fields      = local.by_revision
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The mean prediction of a revision of Cloud Run service `${each.key}` left [${each.value.alerts.prediction_mean_min}, ${each.value.alerts.prediction_mean_max}]. cutover's revertOnAlert sends all traffic back to the stable revision."
  }
}
