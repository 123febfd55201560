# The release page (ui/, what `cutover ui` serves) as one more HTTP function. Behind IAM: only
# release_page.viewers may invoke it (roles/run.invoker on its service, never allUsers), so every
# request carries a verified Google ID token, and a page action records that caller's email as its
# actor. The page reads the services and their time series and publishes operator requests as its
# own account, with the calls the CLI makes. Off by default.

variable "release_page" {
  type = object({
    enabled = optional(bool, false)
    viewers = optional(list(string), [])
  })
  description = "The release page as a function: enabled deploys it (default false); viewers (user:, group:, serviceAccount:, domain:) may open it and use its actions (pause, resume, promote, roll back, undo). Open it with an identity token, e.g. through `gcloud run services proxy cutover-release-page`."
  default     = {}

  validation {
    condition     = alltrue([for m in var.release_page.viewers : can(regex("^(user|group|serviceAccount|domain):", m))])
    error_message = "Each release_page viewer must be a member such as user:alice@example.com or group:sre@example.com; allUsers and allAuthenticatedUsers are refused."
  }
}

locals {
  release_page_enabled = var.release_page.enabled
  # Its own zip: the lock file, the compiled ui/, cli/ and shared/ (what ui/function.ts imports,
  # with the two local/ files cli/target.ts reads) and the page's assets. package.json's main
  # names the page's entry, where the functions-framework finds `releasePage`.
  release_page_files = sort(concat(
    tolist(fileset(local.package_dir, "{npm-shrinkwrap.json,package-lock.json}")),
    tolist(fileset(local.package_dir, "dist/{shared,ui,cli}/**/*.js")),
    ["dist/local/endpoints.js", "dist/local/stack-options.js"],
    tolist(fileset(local.package_dir, "ui/assets/*")),
  ))
  release_page_package = jsonencode(merge(
    jsondecode(file("${local.package_dir}/package.json")),
    { main = "dist/ui/function.js" },
  ))
  release_page_topics = {
    deployment_events = { topic = google_pubsub_topic.deployment_events.id }
    rollback_requests = { topic = google_pubsub_topic.rollback_requests.id }
  }
}

data "archive_file" "release_page" {
  count = local.release_page_enabled ? 1 : 0

  type        = "zip"
  output_path = "${path.root}/.terraform/cutover-release-page.zip"

  lifecycle {
    precondition {
      condition     = fileexists("${local.package_dir}/dist/ui/function.js")
      error_message = "${local.package_dir} has no dist/ui/function.js: set package_dir to an installed cutover release, or run `npm ci && npm run build` in the checkout."
    }
  }

  source {
    filename = "package.json"
    content  = local.release_page_package
  }

  dynamic "source" {
    for_each = local.release_page_files
    content {
      filename = source.value
      content  = file("${local.package_dir}/${source.value}")
    }
  }
}

resource "google_storage_bucket_object" "release_page" {
  count = local.release_page_enabled ? 1 : 0

  bucket = google_storage_bucket.source.name
  name   = "cutover-release-page-${data.archive_file.release_page[0].output_md5}.zip"
  source = data.archive_file.release_page[0].output_path
}

resource "google_service_account" "release_page" {
  count = local.release_page_enabled ? 1 : 0

  project      = var.project_id
  account_id   = "cutover-release-page"
  display_name = "cutover release page: reads releases, publishes operator requests"
}

resource "google_cloudfunctions2_function" "release_page" {
  count = local.release_page_enabled ? 1 : 0

  project     = var.project_id
  location    = var.region
  name        = "cutover-release-page"
  description = "cutover release page (HTTP, IAM only)"
  labels      = var.labels

  build_config {
    runtime               = var.functions.runtime
    entry_point           = "releasePage"
    service_account       = local.build_service_account
    environment_variables = { GOOGLE_NODE_RUN_SCRIPTS = "" }

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.release_page[0].name
      }
    }
  }

  service_config {
    service_account_email = google_service_account.release_page[0].email
    available_memory      = var.functions.memory
    # A page action waits for its outcome (up to 90 s) before it answers.
    timeout_seconds                = 120
    max_instance_count             = var.functions.max_instances
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    environment_variables          = { CUTOVER_CONFIG = local.cutover_config_json }
  }

  depends_on = [time_sleep.iam_propagation, google_project_service.apis]
}

# Who may open the page: the viewers, and no one else (no allUsers, no allAuthenticatedUsers).
resource "google_cloud_run_v2_service_iam_member" "release_page_viewer" {
  for_each = local.release_page_enabled ? toset(var.release_page.viewers) : toset([])

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.release_page[0].name
  role     = "roles/run.invoker"
  member   = each.value
}

# What the page reads: GetService and GetRevision of the managed services (the record and the
# split), the time series of their revisions; what it writes: the operator requests the CLI
# publishes (pause, resume, promote to cutover-deployment-events; rollback, undo to
# cutover-rollback-requests).
resource "google_project_iam_custom_role" "run_reader" {
  count = local.release_page_enabled ? 1 : 0

  project     = var.project_id
  role_id     = "cutoverRunReader"
  title       = "cutover: read Cloud Run services"
  description = "Reads a Cloud Run service and its revisions: the release page."
  permissions = ["run.revisions.get", "run.services.get"]
}

resource "google_cloud_run_v2_service_iam_member" "release_page_reader" {
  for_each = local.release_page_enabled ? var.services : {}

  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.managed[each.key].name
  role     = google_project_iam_custom_role.run_reader[0].name
  member   = "serviceAccount:${google_service_account.release_page[0].email}"
}

resource "google_project_iam_member" "release_page_metrics_reader" {
  count = local.release_page_enabled ? 1 : 0

  project = var.project_id
  role    = google_project_iam_custom_role.metrics_reader.name
  member  = "serviceAccount:${google_service_account.release_page[0].email}"
}

resource "google_pubsub_topic_iam_member" "release_page_publisher" {
  for_each = local.release_page_enabled ? local.release_page_topics : {}

  project = var.project_id
  topic   = each.value.topic
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.release_page[0].email}"
}

output "release_page_url" {
  description = "URL of the release page function (null unless release_page.enabled); open it as a viewer with an identity token."
  value       = try(google_cloudfunctions2_function.release_page[0].service_config[0].uri, null)
}
