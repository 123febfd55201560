# The four cutover functions, all built from the same source, each with its own service account.
# revertOnAlert is deployed twice: as an HTTPS webhook for Cloud Monitoring's Basic-auth channel, and
# behind the Pub/Sub channel's topic with an event trigger. CUTOVER_ALERT_TRANSPORT tells the function
# which of the two it is: the webhook demands Basic auth on every request; the Pub/Sub deployment has
# internal-only ingress and only the trigger account may invoke it, so Eventarc is its sole caller.
locals {
  event_functions = {
    provision-green = {
      entry_point     = "provisionGreen"
      account         = "provision-green"
      topic           = local.gcr_topic_id
      alert_transport = null
    }
    advance-release = {
      entry_point     = "advanceRelease"
      account         = "advance-release"
      topic           = google_pubsub_topic.deployment_events.id
      alert_transport = null
    }
    rollback = {
      entry_point     = "rollback"
      account         = "rollback"
      topic           = google_pubsub_topic.rollback_requests.id
      alert_transport = null
    }
    revert-on-alert-pubsub = {
      entry_point     = "revertOnAlert"
      account         = "revert-on-alert"
      topic           = google_pubsub_topic.alert_incidents.id
      alert_transport = "pubsub"
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
    service_account = var.functions.build_service_account
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

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = each.value.topic
    service_account_email = google_service_account.trigger.email
    # Transient failures reject so Pub/Sub redelivers; permanent ones are acknowledged by the code.
    retry_policy = "RETRY_POLICY_RETRY"
  }

  depends_on = [
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
    service_account       = var.functions.build_service_account
    environment_variables = { GOOGLE_NODE_RUN_SCRIPTS = "" }

    source {
      storage_source {
        bucket = local.function_source.bucket
        object = local.function_source.object
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.function["revert-on-alert"].email
    available_memory               = var.functions.memory
    timeout_seconds                = 60
    max_instance_count             = var.functions.max_instances
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
    google_project_service.apis,
    google_secret_manager_secret_iam_member.webhook_accessor,
    google_secret_manager_secret_version.webhook_username,
    google_secret_manager_secret_version.webhook_password,
  ]
}
