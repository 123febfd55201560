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

# Messages the functions' push subscriptions gave up on, kept for a week for inspection.
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

# Artifact Registry publishes to `gcr` in its own project. Google's current page says to create
# the topic ("Configuring Pub/Sub notifications": create a topic named gcr), so the module does by
# default; set create_gcr_topic = false where it exists already (or import it).
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

# One push subscription per event function, owned here so that it has a dead-letter policy and,
# where events carry an ordering key, ordered delivery. The push path ends in the topic
# (`/projects/P/topics/T`), which the functions framework reads as the event's source. Pub/Sub
# signs each push with an OIDC token of the trigger account, the only invoker of the functions.
resource "google_pubsub_subscription" "trigger" {
  for_each = local.event_functions

  project                    = var.project_id
  name                       = "cutover-${each.key}"
  topic                      = each.value.topic
  labels                     = var.labels
  ack_deadline_seconds       = min(600, var.functions.timeout_seconds)
  enable_message_ordering    = each.value.ordered
  message_retention_duration = "604800s"

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.event[each.key].service_config[0].uri}/${each.value.topic}"

    oidc_token {
      service_account_email = google_service_account.trigger.email
      audience              = google_cloudfunctions2_function.event[each.key].service_config[0].uri
    }
  }

  # Transient failures reject so Pub/Sub redelivers with backoff; permanent ones are acknowledged by
  # the code; a message that never passes ends in cutover-dead-letter.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [
    time_sleep.iam_propagation,
    google_cloud_run_v2_service_iam_member.trigger_invoker,
    google_pubsub_topic_iam_member.dead_letter_publisher,
  ]
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
