# The four cutover functions, all built from the same source, each with its own service account.
# The event functions are invoked by Terraform-owned Pub/Sub push subscriptions (pubsub.tf), not by
# an event_trigger: Eventarc creates the subscription of an event_trigger itself, and neither that
# block nor google_eventarc_trigger can give it a dead-letter policy or message ordering. A push
# subscription delivers the push envelope, which the functions framework turns into the same
# CloudEvent (its pubsub_middleware and background_event_to_cloud_event middleware).
# revertOnAlert is deployed twice: as an HTTPS webhook for Cloud Monitoring's Basic-auth channel, and
# behind the Pub/Sub channel's topic. CUTOVER_ALERT_TRANSPORT tells the function which of the two it
# is: the webhook demands Basic auth on every request; the Pub/Sub deployment has internal-only
# ingress and only the trigger account may invoke it, so its push subscription is its sole caller.
locals {
  event_functions = {
    provision-green = {
      entry_point     = "provisionGreen"
      account         = "provision-green"
      topic           = local.gcr_topic_id
      alert_transport = null
      # Artifact Registry publishes without ordering keys; ordering would change nothing.
      ordered = false
    }
    advance-release = {
      entry_point     = "advanceRelease"
      account         = "advance-release"
      topic           = google_pubsub_topic.deployment_events.id
      alert_transport = null
      # Events carry the service as ordering key: one service's events are delivered one at a time.
      ordered = true
    }
    rollback = {
      entry_point     = "rollback"
      account         = "rollback"
      topic           = google_pubsub_topic.rollback_requests.id
      alert_transport = null
      ordered         = true
    }
    revert-on-alert-pubsub = {
      entry_point     = "revertOnAlert"
      account         = "revert-on-alert"
      topic           = google_pubsub_topic.alert_incidents.id
      alert_transport = "pubsub"
      ordered         = false
    }
  }

  function_source = {
    bucket = google_storage_bucket.source.name
    object = google_storage_bucket_object.source.name
  }
}

resource "google_cloudfunctions2_function" "event" {
  for_each = local.event_functions

  project     = var.project_id
  location    = var.region
  name        = "cutover-${each.key}"
  description = "cutover ${each.value.entry_point}, triggered by ${each.value.topic}"
  labels      = var.labels

  build_config {
    runtime         = var.functions.runtime
    entry_point     = each.value.entry_point
    service_account = local.build_service_account
    # dist/ is uploaded already built: keep the buildpack from running `npm run build`.
    environment_variables = { GOOGLE_NODE_RUN_SCRIPTS = "" }

    source {
      storage_source {
        bucket = local.function_source.bucket
        object = local.function_source.object
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.function[each.value.account].email
    available_memory               = var.functions.memory
    timeout_seconds                = var.functions.timeout_seconds
    max_instance_count             = var.functions.max_instances
    min_instance_count             = each.value.alert_transport == null ? 0 : var.functions.alert_min_instances
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    environment_variables = merge(
      { CUTOVER_CONFIG = local.cutover_config_json },
      { for k, v in { CUTOVER_ALERT_TRANSPORT = each.value.alert_transport } : k => v if v != null },
    )

    dynamic "secret_environment_variables" {
      for_each = each.value.alert_transport == null ? {} : local.webhook_secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    time_sleep.iam_propagation,
    google_project_service.apis,
    google_secret_manager_secret_iam_member.webhook_accessor,
    google_secret_manager_secret_version.webhook_username,
    google_secret_manager_secret_version.webhook_password,
  ]
}

resource "google_cloudfunctions2_function" "revert_on_alert_webhook" {
  project     = var.project_id
  location    = var.region
  name        = "cutover-revert-on-alert"
  description = "cutover revertOnAlert: Cloud Monitoring webhook with HTTP Basic auth"
  labels      = var.labels

  build_config {
    runtime               = var.functions.runtime
    entry_point           = "revertOnAlert"
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
    service_account_email = google_service_account.function["revert-on-alert"].email
    available_memory      = var.functions.memory
    timeout_seconds       = 60
    max_instance_count    = var.functions.max_instances
    # An alert must never wait for a cold start.
    min_instance_count             = var.functions.alert_min_instances
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    environment_variables = {
      CUTOVER_CONFIG          = local.cutover_config_json
      CUTOVER_ALERT_TRANSPORT = "webhook"
    }

    dynamic "secret_environment_variables" {
      for_each = local.webhook_secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    time_sleep.iam_propagation,
    google_project_service.apis,
    google_secret_manager_secret_iam_member.webhook_accessor,
    google_secret_manager_secret_version.webhook_username,
    google_secret_manager_secret_version.webhook_password,
  ]
}
