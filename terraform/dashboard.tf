# One Cloud Monitoring dashboard per managed service: request rate, 5xx ratio, p95 latency and mean
# prediction of each revision (blue and green side by side while a release runs; the legend names
# the revision), with the service's alert thresholds drawn on the charts they apply to.
locals {
  dashboard_charts = {
    for id, s in var.services : id => [
      {
        title = "Requests per second by revision"
        dataSets = [{
          plotType       = "LINE"
          legendTemplate = "$${resource.labels.revision_name}"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "${local.service_filter[id]} AND metric.type = \"run.googleapis.com/request_count\""
              aggregation = {
                alignmentPeriod    = "60s"
                perSeriesAligner   = "ALIGN_RATE"
                crossSeriesReducer = "REDUCE_SUM"
                groupByFields      = local.by_revision
              }
            }
          }
        }]
        thresholds = []
      },
      {
        title = "5xx ratio by revision"
        dataSets = [{
          plotType       = "LINE"
          legendTemplate = "$${resource.labels.revision_name}"
          timeSeriesQuery = {
            timeSeriesFilterRatio = {
              numerator = {
                filter = "${local.service_filter[id]} AND metric.type = \"run.googleapis.com/request_count\" AND metric.label.response_code_class = \"5xx\""
                aggregation = {
                  alignmentPeriod    = "60s"
                  perSeriesAligner   = "ALIGN_DELTA"
                  crossSeriesReducer = "REDUCE_SUM"
                  groupByFields      = local.by_revision
                }
              }
              denominator = {
                filter = "${local.service_filter[id]} AND metric.type = \"run.googleapis.com/request_count\""
                aggregation = {
                  alignmentPeriod    = "60s"
                  perSeriesAligner   = "ALIGN_DELTA"
                  crossSeriesReducer = "REDUCE_SUM"
                  groupByFields      = local.by_revision
                }
              }
            }
          }
        }]
        thresholds = [{ label = "alert", value = s.alerts.max_5xx_ratio, color = "RED", direction = "ABOVE" }]
      },
      {
        title = "p95 latency (ms) by revision"
        dataSets = [{
          plotType       = "LINE"
          legendTemplate = "$${resource.labels.revision_name}"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "${local.service_filter[id]} AND metric.type = \"run.googleapis.com/request_latencies\""
              aggregation = {
                alignmentPeriod    = "60s"
                perSeriesAligner   = "ALIGN_DELTA"
                crossSeriesReducer = "REDUCE_PERCENTILE_95"
                groupByFields      = local.by_revision
              }
            }
          }
        }]
        thresholds = [{ label = "alert", value = s.alerts.p95_latency_ms, color = "RED", direction = "ABOVE" }]
      },
      {
        title = "Mean prediction by revision"
        dataSets = [{
          plotType       = "LINE"
          legendTemplate = "$${metric.labels.revision_name}"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "${local.service_filter[id]} AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.prediction.name}\""
              aggregation = {
                alignmentPeriod    = "300s"
                perSeriesAligner   = "ALIGN_DELTA"
                crossSeriesReducer = "REDUCE_MEAN"
                groupByFields      = ["metric.label.revision_name"]
              }
            }
          }
        }]
        thresholds = [
          { label = "alert above", value = s.alerts.prediction_mean_max, color = "RED", direction = "ABOVE" },
          { label = "alert below", value = s.alerts.prediction_mean_min, color = "RED", direction = "BELOW" },
        ]
      },
    ]
  }
}

resource "google_monitoring_dashboard" "service" {
  for_each = var.services

  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "cutover ${each.key}: blue vs green"
    labels      = { cutover = "" }
    mosaicLayout = {
      columns = 12
      tiles = [for i, chart in local.dashboard_charts[each.key] : {
        xPos   = (i % 2) * 6
        yPos   = floor(i / 2) * 4
        width  = 6
        height = 4
        widget = {
          title = chart.title
          xyChart = {
            dataSets          = chart.dataSets
            thresholds        = chart.thresholds
            timeshiftDuration = "0s"
          }
        }
      }]
    }
  })

  depends_on = [google_project_service.apis]
}
