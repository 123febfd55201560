output "services" {
  description = "The managed Cloud Run services by ID: full name, URL and runtime service account."
  value = {
    for id, s in google_cloud_run_v2_service.managed : id => {
      name            = "projects/${var.project_id}/locations/${var.region}/services/${id}"
      uri             = s.uri
      service_account = google_service_account.runtime[id].email
    }
  }
}

output "inference_log_buckets" {
  description = "Inference-log bucket of each service and color, keyed \"SERVICE/COLOR\"."
  value       = { for key, b in google_storage_bucket.inference_log : key => b.name }
}

output "cutover_config" {
  description = "The config the functions receive as CUTOVER_CONFIG (JSON), for `cutover` CLI use against this project."
  value       = local.cutover_config_json
}

output "functions" {
  description = "Each deployed function's name and URL, by role."
  value = merge(
    { for key, f in google_cloudfunctions2_function.event : key => { name = f.name, url = f.url } },
    { revert-on-alert = { name = google_cloudfunctions2_function.revert_on_alert_webhook.name, url = google_cloudfunctions2_function.revert_on_alert_webhook.url } },
  )
}

output "function_service_accounts" {
  description = "Email of each function's service account, by function."
  value       = { for key, sa in google_service_account.function : key => sa.email }
}

output "topics" {
  description = "Pub/Sub topic IDs: deployment events, rollback requests, alert incidents, dead letters and the Artifact Registry topic."
  value = {
    deployment_events = google_pubsub_topic.deployment_events.id
    rollback_requests = google_pubsub_topic.rollback_requests.id
    alert_incidents   = google_pubsub_topic.alert_incidents.id
    dead_letter       = google_pubsub_topic.dead_letter.id
    gcr               = local.gcr_topic_id
  }
}

output "dead_letter_subscription" {
  description = "Pull subscription that keeps the dead-lettered messages."
  value       = google_pubsub_subscription.dead_letter.id
}

output "dead_letter_commands" {
  description = "Shell commands that attach the dead-letter topic to each event function's trigger subscription (Eventarc creates those subscriptions, so Terraform cannot configure them)."
  value = [
    for key, f in google_cloudfunctions2_function.event : join(" && ", [
      "SUB=$(gcloud eventarc triggers describe ${f.event_trigger[0].trigger} --location ${var.region} --format 'value(transport.pubsub.subscription)')",
      "gcloud pubsub subscriptions update \"$SUB\" --dead-letter-topic ${google_pubsub_topic.dead_letter.id} --max-delivery-attempts 10",
      "gcloud pubsub subscriptions add-iam-policy-binding \"$SUB\" --member serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com --role roles/pubsub.subscriber",
    ])
  ]
}

output "prediction_metric" {
  description = "Metric type of the log-based prediction distribution."
  value       = "logging.googleapis.com/user/${google_logging_metric.prediction.name}"
}

output "alert_policies" {
  description = "Alert policy names per service: error_ratio, latency, prediction_drift."
  value = {
    for id in keys(var.services) : id => {
      error_ratio      = google_monitoring_alert_policy.error_ratio[id].name
      latency          = google_monitoring_alert_policy.latency[id].name
      prediction_drift = google_monitoring_alert_policy.prediction_drift[id].name
    }
  }
}

output "notification_channels" {
  description = "The webhook (Basic auth) and Pub/Sub notification channels that reach revertOnAlert."
  value = {
    webhook = google_monitoring_notification_channel.webhook.id
    pubsub  = google_monitoring_notification_channel.pubsub.id
  }
}

output "webhook_secrets" {
  description = "Secret Manager secrets that hold the webhook's Basic auth user name and password."
  value = {
    username = google_secret_manager_secret.webhook_username.id
    password = google_secret_manager_secret.webhook_password.id
  }
}

output "load_balancer" {
  description = "The load balancer's address (point DOMAIN's A record here), its API base (set cutover's endpoint.url to `url`) and each version's URL; null when disabled."
  value = local.lb_enabled ? {
    ip_address = google_compute_global_address.lb[0].address
    url        = "https://${local.lb.domain}"
    api        = "https://${local.lb.domain}${local.lb.path_prefix}"
    versions   = { for v in local.lb_versions : v => "https://${local.lb.domain}${local.lb.path_prefix}/${v}" }
  } : null
}
