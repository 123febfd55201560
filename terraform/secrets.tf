# HTTP Basic auth of the alert webhook. Cloud Monitoring's channel holds the same pair; the
# revertOnAlert function reads it from Secret Manager and answers 401 to anything else.
resource "random_password" "webhook" {
  length  = 40
  special = false
}

resource "google_secret_manager_secret" "webhook_username" {
  project   = var.project_id
  secret_id = "cutover-webhook-username"
  labels    = var.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "webhook_username" {
  secret      = google_secret_manager_secret.webhook_username.id
  secret_data = var.webhook_username
}

resource "google_secret_manager_secret" "webhook_password" {
  project   = var.project_id
  secret_id = "cutover-webhook-password"
  labels    = var.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "webhook_password" {
  secret      = google_secret_manager_secret.webhook_password.id
  secret_data = random_password.webhook.result
}

locals {
  webhook_secrets = {
    CUTOVER_WEBHOOK_USERNAME = google_secret_manager_secret.webhook_username
    CUTOVER_WEBHOOK_PASSWORD = google_secret_manager_secret.webhook_password
  }
}

resource "google_secret_manager_secret_iam_member" "webhook_accessor" {
  for_each = local.webhook_secrets

  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function["revert-on-alert"].email}"
}
