resource "google_pubsub_topic" "deployment_events" {
  project = var.project_id
  name    = "cutover-deployment-events"
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "rollback_requests" {
  project = var.project_id
  name    = "cutover-rollback-requests"
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

# Cloud Monitoring's Pub/Sub notification channel publishes incidents here; the second
# revertOnAlert deployment (functions.tf) consumes them.
resource "google_pubsub_topic" "alert_incidents" {
  project = var.project_id
  name    = "cutover-alert-incidents"
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

# Messages the functions' trigger subscriptions gave up on, kept for a week for inspection.
resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = "cutover-dead-letter"
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription" "dead_letter" {
  project                    = var.project_id
  name                       = "cutover-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "604800s"
  retain_acked_messages      = true
  ack_deadline_seconds       = 60
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

# Artifact Registry publishes to `gcr` in its own project. Google creates the topic with the API;
# this module creates it only when asked (an org policy requiring CMEK can prevent the automatic one).
resource "google_pubsub_topic" "gcr" {
  count = var.create_gcr_topic ? 1 : 0

  project = var.project_id
  name    = "gcr"
  labels  = var.labels

  depends_on = [google_project_service.apis]
}

locals {
  gcr_topic_id = var.create_gcr_topic ? google_pubsub_topic.gcr[0].id : "projects/${var.project_id}/topics/gcr"
}

# The heartbeat of every active release: advanceRelease judges the current step on each tick.
resource "google_cloud_scheduler_job" "tick" {
  project     = var.project_id
  region      = var.region
  name        = "cutover-release-tick"
  description = "Publishes release.tick to ${google_pubsub_topic.deployment_events.name}; advanceRelease judges every active release on it."
  schedule    = var.tick_schedule
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.deployment_events.id
    data       = base64encode(jsonencode({ type = "release.tick" }))
    attributes = { type = "release.tick" }
  }

  depends_on = [google_project_service.apis]
}
