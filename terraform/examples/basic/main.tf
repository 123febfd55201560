provider "google" {
  project = var.project_id
  region  = var.region
}

# The leakage-prediction model: stable v1 serves as blue; every push of a new tag to
# REGION-docker.pkg.dev/PROJECT/models/leakage-model starts a blue/green release.
module "cutover" {
  source = "../.."

  project_id = var.project_id
  region     = var.region
  repository = "models"
  operators  = var.operators

  services = {
    leakage-model = {
      image       = "${var.region}-docker.pkg.dev/${var.project_id}/models/leakage-model"
      initial_tag = var.initial_tag
      memory      = "1Gi"
      invokers    = var.operators

      alerts = {
        max_5xx_ratio       = 0.02
        p95_latency_ms      = 800
        prediction_mean_min = 0.02
        prediction_mean_max = 0.6
      }

      release = {
        tags = {
          include = ["*"]
          ignore  = ["rollback-*", "*.sig", "*.att", "sha256-*", "latest"]
        }
        steps                = [10, 25, 50, 100]
        bakeSeconds          = 120
        monitoringLagSeconds = 180
        thresholds = {
          max5xxRate         = 0.02
          minRequests        = 100
          p95Tolerance       = 0.1
          p95SlackMs         = 5
          maxPredictionDrift = 0.2
          failureLimit       = 2
          clearlyBad         = { max5xxRate = 0.03, p95Increase = 0.25, predictionDrift = 0.25 }
        }
        smoke = {
          authenticate = true
          routes = [
            { method = "GET", path = "/healthz", expectStatus = 200, samples = 2 },
            {
              method       = "POST"
              path         = "/predict"
              expectStatus = 200
              samples      = 5
              body         = <<-JSON
                {"pressure_bar": 3.2, "flow_lpm": 41.5, "pipe_age_years": 27, "material": "cast_iron"}
              JSON
            },
          ]
        }
        onPushDuringRelease = "supersede"
      }
    }
  }
}
