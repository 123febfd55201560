# The notify function: posts each release.* event of cutover-deployment-events to Slack and Google
# Chat incoming webhooks. The webhook URLs are secrets: create one Secret Manager secret per URL
# (`gcloud secrets create cutover-slack-webhook --data-file=-`) and name it here under the env var
# the service's `notify` config names (e.g. slackWebhookEnv = "CUTOVER_SLACK_WEBHOOK_URL").
# Off by default: set notify_webhook_secrets to deploy it.

variable "notify_webhook_secrets" {
  type        = map(string)
  description = "Env var name => Secret Manager secret id holding a Slack or Google Chat webhook URL, e.g. { CUTOVER_SLACK_WEBHOOK_URL = \"cutover-slack-webhook\" }. Empty (the default) deploys no notify function."
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.notify_webhook_secrets :
      can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && can(regex("^[A-Za-z0-9_-]{1,255}$", v))
    ])
    error_message = "Each key must be an environment variable name and each value a Secret Manager secret id."
  }
}

locals {
  notify_enabled = length(var.notify_webhook_secrets) > 0
}

resource "google_service_account" "notify" {
  count = local.notify_enabled ? 1 : 0

  project      = var.project_id
  account_id   = "cutover-notify"
  display_name = "cutover notify: reads the webhook secrets, posts release events"
}

resource "google_secret_manager_secret_iam_member" "notify_webhook_accessor" {
  for_each = local.notify_enabled ? var.notify_webhook_secrets : {}

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.notify[0].email}"
}

resource "google_cloudfunctions2_function" "notify" {
  count = local.notify_enabled ? 1 : 0

  project     = var.project_id
  location    = var.region
  name        = "cutover-notify"
  description = "cutover notify: release.* events to Slack and Google Chat webhooks"
  labels      = var.labels

  build_config {
    runtime               = var.functions.runtime
    entry_point           = "notify"
    service_account       = local.build_service_account
    environment_variables = { GOOGLE_NODE_RUN_SCRIPTS = "" }

    source {
      storage_source {
        bucket = local.function_source.bucket
        object = local.function_source.object
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.notify[0].email
    available_memory               = var.functions.memory
    timeout_seconds                = 60
    max_instance_count             = var.functions.max_instances
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    environment_variables          = { CUTOVER_CONFIG = local.cutover_config_json }

    dynamic "secret_environment_variables" {
      for_each = var.notify_webhook_secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_project_service.apis,
    time_sleep.iam_propagation,
    google_secret_manager_secret_iam_member.notify_webhook_accessor,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "notify_invoker" {
  count = local.notify_enabled ? 1 : 0

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.notify[0].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# Like the other event functions (pubsub.tf), notify is pushed to by a Terraform-owned subscription
# with a dead-letter policy. A webhook answering 429/5xx makes the function reject, so Pub/Sub
# redelivers with backoff; a 4xx is logged and acknowledged.
resource "google_pubsub_subscription" "notify" {
  count = local.notify_enabled ? 1 : 0

  project                    = var.project_id
  name                       = "cutover-notify"
  topic                      = google_pubsub_topic.deployment_events.id
  labels                     = var.labels
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.notify[0].service_config[0].uri}/${google_pubsub_topic.deployment_events.id}"

    oidc_token {
      service_account_email = google_service_account.trigger.email
      audience              = google_cloudfunctions2_function.notify[0].service_config[0].uri
    }
  }

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
    google_cloud_run_v2_service_iam_member.notify_invoker,
    google_pubsub_topic_iam_member.dead_letter_publisher,
  ]
}

# The Pub/Sub service agent acknowledges dead-lettered messages on the source subscription.
resource "google_pubsub_subscription_iam_member" "notify_dead_letter_subscriber" {
  count = local.notify_enabled ? 1 : 0

  project      = var.project_id
  subscription = google_pubsub_subscription.notify[0].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
