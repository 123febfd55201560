# The account Cloud Build builds the functions as. Projects created since July 2024 no longer give
# the default build account the roles a function build needs, so the module brings its own with
# the roles Google documents for it (https://cloud.google.com/functions/docs/securing/build-custom-sa):
# write build logs, write the build image to Artifact Registry (gcf-artifacts), read the source.
locals {
  build_roles = toset(["roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectAdmin"])
  build_service_account = coalesce(
    var.functions.build_service_account,
    try(google_service_account.build[0].id, null),
  )
}

resource "google_service_account" "build" {
  count = var.functions.build_service_account == null ? 1 : 0

  project      = var.project_id
  account_id   = "cutover-build"
  display_name = "cutover: builds the Cloud Run functions"
}

resource "google_project_iam_member" "build" {
  for_each = var.functions.build_service_account == null ? local.build_roles : toset([])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build[0].email}"
}

# IAM grants take effect within minutes, not at once ("usually within 2 minutes, sometimes 7 or
# more": https://cloud.google.com/iam/docs/access-change-propagation). A function build started
# right after its account's grants fails with a permission error on a first apply; so do the first
# pushes to a subscription whose token creator was just granted. Everything that runs as a freshly
# granted identity waits this long once, at creation.
resource "time_sleep" "iam_propagation" {
  create_duration = "${var.iam_propagation_seconds}s"

  triggers = {
    build   = local.build_service_account
    trigger = google_service_account.trigger.email
  }

  depends_on = [
    google_project_iam_member.build,
    google_service_account_iam_member.trigger_token_creator,
    google_project_service.apis,
  ]
}
