# Inference logs: one bucket per service and color, so blue's and green's logs never mix. Both colors
# run as the service's runtime account (cutover copies it from the stable revision), which is the
# only principal this module lets write; a revision finds its bucket through its color's env.
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
  member = "serviceAccount:${google_service_account.runtime[each.value.service].email}"
}

# The functions' source: the built project, zipped and stored under its content hash so that a new
# build redeploys the functions and an unchanged one does not.
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

data "archive_file" "source" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "${path.root}/.terraform/cutover-source.zip"
  excludes    = [".git", ".cutover", "node_modules", "coverage", "terraform", "test", "bench"]
}

resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  name   = "cutover-${data.archive_file.source.output_md5}.zip"
  source = data.archive_file.source.output_path
}
