data "google_project" "this" {
  project_id = var.project_id
}

locals {
  repository_location = coalesce(var.repository_location, var.region)
  colors              = ["blue", "green"]

  # One isolated inference-log bucket per service and color, e.g. "leakage-model/green".
  inference_logs = {
    for pair in setproduct(keys(var.services), local.colors) : "${pair[0]}/${pair[1]}" => {
      service = pair[0]
      color   = pair[1]
      bucket  = "${trim(substr("${var.project_id}-${pair[0]}", 0, 46), "-")}-inference-${pair[1]}"
    }
  }

  # The service's release settings without their unset (null) keys, so cutover's own defaults apply.
  # Nested objects are cleaned one level down (thresholds.clearlyBad two); colors come from color_settings.
  # Filtering a one-key object (`{ for k, v in { tags = ... } : ... if v != null }`) keeps or drops a key
  # without a conditional, whose two results would need the same object type.
  release_settings = {
    for id, s in var.services : id => merge(
      { for k, v in s.release : k => v if v != null && !contains(["tags", "thresholds", "smoke"], k) },
      { for k, v in { tags = s.release.tags } : k => { for kk, vv in v : kk => vv if vv != null } if v != null },
      { for k, v in { thresholds = s.release.thresholds } : k => merge(
        { for kk, vv in v : kk => vv if vv != null && kk != "clearlyBad" },
        { for kk, vv in { clearlyBad = v.clearlyBad } : kk => { for ck, cv in vv : ck => cv if cv != null } if vv != null },
      ) if v != null },
      { for k, v in { smoke = s.release.smoke } : k => merge(
        { for kk, vv in v : kk => vv if vv != null && kk != "routes" },
        { for kk, vv in { routes = v.routes } : kk => [for r in vv : merge(
          { for rk, rv in r : rk => rv if rv != null && rk != "body" },
          { for rk, rv in { body = r.body } : rk => jsondecode(rv) if rv != null },
        )] if vv != null },
      ) if v != null },
    )
  }

  # Each color's settings: the bucket that holds its inference logs (the template's env[0], the one
  # env entry cutover changes; see service.tf) and the runtime account that alone may write there.
  color_settings = {
    for id, s in var.services : id => {
      for color in local.colors : color => {
        env            = { (var.inference_log_env_name) = google_storage_bucket.inference_log["${id}/${color}"].name }
        serviceAccount = google_service_account.runtime["${id}/${color}"].email
      }
    }
  }

  # cutover's config (shared/schemas/config.ts), passed to every function as CUTOVER_CONFIG.
  cutover_config = {
    services = [for id, s in var.services : merge(local.release_settings[id], {
      service = "projects/${var.project_id}/locations/${var.region}/services/${id}"
      image   = s.image
      colors  = local.color_settings[id]
    })]
    topics = {
      deploymentEvents = google_pubsub_topic.deployment_events.name
      rollbackRequests = google_pubsub_topic.rollback_requests.name
    }
    predictionMetric   = "logging.googleapis.com/user/${google_logging_metric.prediction.name}"
    maxEventAgeSeconds = var.max_event_age_seconds
    webhook = {
      usernameEnv = "CUTOVER_WEBHOOK_USERNAME"
      passwordEnv = "CUTOVER_WEBHOOK_PASSWORD"
    }
  }
  cutover_config_json = jsonencode({ for k, v in local.cutover_config : k => v if v != null })

  apis = toset([
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
}

resource "google_project_service" "apis" {
  for_each = var.enable_apis ? local.apis : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
