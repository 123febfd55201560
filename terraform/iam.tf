# Least privilege, resource by resource. No primitive role (owner, editor, viewer) anywhere: the
# controller administers only its services, acts only as their runtime accounts, tags only its
# repository, publishes only to its topics, and reads monitoring.

locals {
  function_accounts = {
    provision-green = "cutover provisionGreen: deploys candidate revisions at 0%"
    advance-release = "cutover advanceRelease: smoke tests, shifts traffic, promotes"
    revert-on-alert = "cutover revertOnAlert: reverts traffic on an alert incident"
    rollback        = "cutover rollback: manual traffic and container rollbacks"
  }

  # What each function may do beyond administering the managed services and publishing events.
  reads_monitoring = toset(["advance-release", "revert-on-alert"])
  tags_images      = toset(["provision-green", "advance-release", "rollback"])
  # advanceRelease calls the candidate's tag URL with an ID token when smoke.authenticate is set.
  invokes_services = toset(["advance-release"])

  service_function_pairs = {
    for pair in setproduct(keys(var.services), keys(local.function_accounts)) : "${pair[0]}/${pair[1]}" => {
      service  = pair[0]
      function = pair[1]
    }
  }
  invoker_pairs = {
    for pair in flatten([for id, s in var.services : [for m in s.invokers : { service = id, member = m }]]) :
    "${pair.service}/${pair.member}" => pair
  }
  operator_topics = {
    for pair in setproduct(var.operators, ["deployment_events", "rollback_requests"]) : "${pair[1]}/${pair[0]}" => {
      member = pair[0]
      topic  = pair[1] == "deployment_events" ? google_pubsub_topic.deployment_events.id : google_pubsub_topic.rollback_requests.id
    }
  }
}

resource "google_service_account" "function" {
  for_each = local.function_accounts

  project      = var.project_id
  account_id   = "cutover-${each.key}"
  display_name = each.value
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "cutover-trigger"
  display_name = "cutover Eventarc triggers: invokes the event functions"
}

resource "google_service_account" "runtime" {
  for_each = var.services

  project      = var.project_id
  account_id   = "crun-${trim(substr(each.key, 0, 25), "-")}"
  display_name = "Cloud Run runtime of ${each.key} (both colors)"
}

# --- The managed services: administer (update traffic, deploy revisions) and act as their runtime.

resource "google_cloud_run_v2_service_iam_member" "controller" {
  for_each = local.service_function_pairs

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.managed[each.value.service].name
  role     = "roles/run.developer"
  member   = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_service_account_iam_member" "controller_act_as_runtime" {
  for_each = local.service_function_pairs

  service_account_id = google_service_account.runtime[each.value.service].name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_cloud_run_v2_service_iam_member" "smoke_invoker" {
  for_each = { for k, v in local.service_function_pairs : k => v if contains(local.invokes_services, v.function) }

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.managed[each.value.service].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = local.invoker_pairs

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.managed[each.value.service].name
  role     = "roles/run.invoker"
  member   = each.value.member
}

# Waiting on a Cloud Run operation needs run.operations.get, which is checked on the project; this
# role holds nothing else.
resource "google_project_iam_custom_role" "operations_reader" {
  project     = var.project_id
  role_id     = "cutoverRunOperationsReader"
  title       = "cutover: read Cloud Run operations"
  description = "Lets cutover wait for the Cloud Run operations it started."
  permissions = ["run.operations.get"]
}

resource "google_project_iam_member" "operations_reader" {
  for_each = local.function_accounts

  project = var.project_id
  role    = google_project_iam_custom_role.operations_reader.name
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# --- Monitoring: read time series and alert policies.

resource "google_project_iam_member" "monitoring_viewer" {
  for_each = local.reads_monitoring

  project = var.project_id
  role    = "roles/monitoring.viewer"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# --- Artifact Registry: read images and move tags in this one repository; no push, no delete.

resource "google_project_iam_custom_role" "image_tagger" {
  project     = var.project_id
  role_id     = "cutoverImageTagger"
  title       = "cutover: read images and tag them"
  description = "Reads images, versions and tags and creates or moves tags (rollback-*); cannot push or delete."
  permissions = [
    "artifactregistry.dockerimages.get",
    "artifactregistry.dockerimages.list",
    "artifactregistry.packages.get",
    "artifactregistry.packages.list",
    "artifactregistry.repositories.get",
    "artifactregistry.tags.create",
    "artifactregistry.tags.get",
    "artifactregistry.tags.list",
    "artifactregistry.tags.update",
    "artifactregistry.versions.get",
    "artifactregistry.versions.list",
  ]
}

resource "google_artifact_registry_repository_iam_member" "image_tagger" {
  for_each = local.tags_images

  project    = var.project_id
  location   = local.repository_location
  repository = var.repository
  role       = google_project_iam_custom_role.image_tagger.name
  member     = "serviceAccount:${google_service_account.function[each.key].email}"
}

# --- Pub/Sub: publish deployment events only; operators may also request rollbacks.

resource "google_pubsub_topic_iam_member" "controller_publisher" {
  for_each = local.function_accounts

  project = var.project_id
  topic   = google_pubsub_topic.deployment_events.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_pubsub_topic_iam_member" "operator_publisher" {
  for_each = local.operator_topics

  project = var.project_id
  topic   = each.value.topic
  role    = "roles/pubsub.publisher"
  member  = each.value.member
}

# Cloud Monitoring's notification agent publishes incidents to the alert topic. The agent exists
# once the project has a Pub/Sub channel, hence the dependency.
resource "google_pubsub_topic_iam_member" "monitoring_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.alert_incidents.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"

  depends_on = [google_monitoring_notification_channel.pubsub]
}

# Pub/Sub's service agent forwards undeliverable messages to the dead-letter topic.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# --- Triggers: Eventarc invokes the event functions as the trigger account.

resource "google_project_iam_member" "trigger_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.trigger.email}"
}

resource "google_cloud_run_v2_service_iam_member" "trigger_invoker" {
  for_each = local.event_functions

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.event[each.key].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# Pub/Sub mints the push tokens of the trigger subscriptions as the trigger account.
resource "google_service_account_iam_member" "trigger_token_creator" {
  service_account_id = google_service_account.trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Cloud Monitoring cannot present a Google identity: the webhook is public at the IAM layer and
# authenticates callers itself with HTTP Basic auth.
resource "google_cloud_run_v2_service_iam_member" "webhook_public" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.revert_on_alert_webhook.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
