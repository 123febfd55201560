# Least privilege, narrowed to the calls the code makes. No primitive role (owner, editor, viewer)
# and no broad predefined role: the controller gets, updates and reads revisions of its services
# only, acts only as their runtime accounts, lists and moves tags of its repository only, reads
# time series, and publishes only to its topics.

locals {
  function_accounts = {
    provision-green = "cutover provisionGreen: deploys candidate revisions at 0%"
    advance-release = "cutover advanceRelease: smoke tests, shifts traffic, promotes"
    revert-on-alert = "cutover revertOnAlert: reverts traffic on an alert incident"
    rollback        = "cutover rollback: manual traffic and container rollbacks"
  }

  # What each function may do beyond administering the managed services and publishing events.
  # advanceRelease judges steps (time series); revertOnAlert needs none (the incident says it all).
  reads_monitoring = toset(["advance-release"])
  # Every function may bootstrap a service's record (listTags resolves the stable's tag to a
  # digest); advanceRelease tags the previous image on promotion, rollback finds rollback-* tags.
  tags_images = toset(keys(local.function_accounts))
  # advanceRelease calls the candidate's tag URL with an ID token when smoke.authenticate is set.
  invokes_services = toset(["advance-release"])

  # Exactly the Cloud Run calls of shared/adapters/gcp/cloud-run-platform.ts: GetService,
  # UpdateService, GetRevision; operations are polled with run.operations.get (project level).
  run_controller_permissions = ["run.services.get", "run.services.update", "run.revisions.get"]
  # ListTags, CreateTag, UpdateTag of shared/adapters/gcp/artifact-registry.ts.
  image_tagger_permissions = ["artifactregistry.tags.create", "artifactregistry.tags.list", "artifactregistry.tags.update"]

  service_function_pairs = {
    for pair in setproduct(keys(var.services), keys(local.function_accounts)) : "${pair[0]}/${pair[1]}" => {
      service  = pair[0]
      function = pair[1]
    }
  }
  runtime_function_pairs = {
    for pair in setproduct(keys(local.inference_logs), keys(local.function_accounts)) : "${pair[0]}/${pair[1]}" => {
      runtime  = pair[0]
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
  pubsub_agent     = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  monitoring_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"
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
  display_name = "cutover push subscriptions: invokes the event functions"
}

# One runtime account per service and color (keys "SERVICE/COLOR"): a color's revisions run as
# its own account, the only writer of its own inference-log bucket.
resource "google_service_account" "runtime" {
  for_each = local.inference_logs

  project      = var.project_id
  account_id   = "crun-${trim(substr(each.value.service, 0, 19), "-")}-${each.value.color}"
  display_name = "Cloud Run runtime of ${each.value.service}, ${each.value.color}"
}

# --- The managed services: get, update, read revisions; act as their runtime accounts.

resource "google_project_iam_custom_role" "run_controller" {
  project     = var.project_id
  role_id     = "cutoverRunController"
  title       = "cutover: update Cloud Run services"
  description = "Reads and updates a Cloud Run service and reads its revisions; cannot create or delete services."
  permissions = local.run_controller_permissions
}

resource "google_cloud_run_v2_service_iam_member" "controller" {
  for_each = local.service_function_pairs

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.managed[each.value.service].name
  role     = google_project_iam_custom_role.run_controller.name
  member   = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# Deploying a revision that runs as an account needs iam.serviceAccounts.actAs on it, and nothing more.
resource "google_project_iam_custom_role" "act_as" {
  project     = var.project_id
  role_id     = "cutoverActAs"
  title       = "cutover: deploy revisions that run as an account"
  description = "iam.serviceAccounts.actAs only, granted on the managed services' runtime accounts."
  permissions = ["iam.serviceAccounts.actAs"]
}

resource "google_service_account_iam_member" "controller_act_as_runtime" {
  for_each = local.runtime_function_pairs

  service_account_id = google_service_account.runtime[each.value.runtime].name
  role               = google_project_iam_custom_role.act_as.name
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

# --- Monitoring: list time series (ListTimeSeries), nothing else.

resource "google_project_iam_custom_role" "metrics_reader" {
  project     = var.project_id
  role_id     = "cutoverMetricsReader"
  title       = "cutover: read time series"
  description = "monitoring.timeSeries.list only: advanceRelease measures blue and green."
  permissions = ["monitoring.timeSeries.list"]
}

resource "google_project_iam_member" "metrics_reader" {
  for_each = local.reads_monitoring

  project = var.project_id
  role    = google_project_iam_custom_role.metrics_reader.name
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

# --- Artifact Registry: list, create and move tags in this one repository; no push, no delete.

resource "google_project_iam_custom_role" "image_tagger" {
  project     = var.project_id
  role_id     = "cutoverImageTagger"
  title       = "cutover: list and move image tags"
  description = "Lists tags and creates or moves them (rollback-*); cannot read layers, push or delete."
  permissions = local.image_tagger_permissions
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
  member  = local.monitoring_agent

  depends_on = [google_monitoring_notification_channel.pubsub]
}

# Pub/Sub's service agent forwards undeliverable messages to the dead-letter topic, and must be
# able to acknowledge them on the source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each = local.event_functions

  project      = var.project_id
  subscription = google_pubsub_subscription.trigger[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# --- Triggers: Pub/Sub pushes to the event functions as the trigger account (no Eventarc).

resource "google_cloud_run_v2_service_iam_member" "trigger_invoker" {
  for_each = local.event_functions

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.event[each.key].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# Pub/Sub mints the push subscriptions' OIDC tokens as the trigger account.
resource "google_service_account_iam_member" "trigger_token_creator" {
  service_account_id = google_service_account.trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
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
