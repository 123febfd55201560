# Inference logs: one bucket per service and color, so blue's and green's logs never mix. Each color
# runs as its own runtime account (cutover sets the color's account on every revision it deploys),
# the only principal this module lets write that color's bucket: blue cannot write green's logs.
# A revision finds its bucket through its color's env.
resource "google_storage_bucket" "inference_log" {
  for_each = local.inference_logs

  project                     = var.project_id
  name                        = each.value.bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { cutover_service = each.value.service, cutover_color = each.value.color })

  dynamic "lifecycle_rule" {
    for_each = var.inference_log_retention_days > 0 ? [var.inference_log_retention_days] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_iam_member" "inference_log_writer" {
  for_each = local.inference_logs

  bucket = google_storage_bucket.inference_log[each.key].name
  role   = "roles/storage.objectCreator"
  member = "serviceAccount:${google_service_account.runtime[each.key].email}"
}

# The functions' source: exactly what they run and nothing else: package.json, the lock file (the
# buildpack installs the production dependencies from it: npm-shrinkwrap.json in a released package,
# package-lock.json in a checkout) and the compiled dist/functions and dist/shared. The rest (the
# local emulator, the CLI, tests, Terraform, examples, node_modules) stays out. Stored under its
# content hash, so a new release redeploys the functions and an unchanged one does not.
resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-cutover-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  depends_on = [google_project_service.apis]
}

locals {
  # The released package this module ships in (node_modules/cutover/terraform/..) unless told
  # otherwise; in a checkout that is the repository root, after `npm run build`.
  package_dir = coalesce(var.package_dir, "${path.module}/..")
  source_files = sort(concat(
    ["package.json"],
    tolist(fileset(local.package_dir, "{npm-shrinkwrap.json,package-lock.json}")),
    tolist(fileset(local.package_dir, "dist/functions/**/*.js")),
    tolist(fileset(local.package_dir, "dist/shared/**/*.js")),
  ))
}

data "archive_file" "source" {
  type        = "zip"
  output_path = "${path.root}/.terraform/cutover-source.zip"

  lifecycle {
    precondition {
      condition     = fileexists("${local.package_dir}/dist/functions/index.js")
      error_message = "${local.package_dir} has no dist/functions/index.js: set package_dir to an installed cutover release (node_modules/cutover), or run `npm ci && npm run build` in the checkout."
    }
  }

  dynamic "source" {
    for_each = local.source_files
    content {
      filename = source.value
      content  = file("${local.package_dir}/${source.value}")
    }
  }
}

resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  name   = "cutover-${data.archive_file.source.output_md5}.zip"
  source = data.archive_file.source.output_path
}
