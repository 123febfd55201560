# The managed services, created blue. Terraform owns their existence and settings; cutover owns what
# a release changes. ignore_changes lists exactly those fields, so a plan after any release, promotion
# or rollback is empty and no pipeline re-run is needed to bring state back in line:
# - template[0].containers[0].image: the revision's image (a digest after the first release);
# - template[0].containers[0].env: per-color values such as the inference-log bucket (an env list
#   cannot be ignored entry by entry; env common to both colors is set at creation);
# - template[0].revision and template[0].labels: the candidate's revision name and its color label;
# - traffic: the split, always pinned to named revisions by cutover;
# - annotations["cutover.dev/..."]: the release record. The google provider manages only the
#   annotations in the configuration (the rest are in effective_annotations), so naming each key
#   here guards against a configuration that ever sets one;
# - client and client_version: set by gcloud or the console when someone deploys by hand.
resource "google_cloud_run_v2_service" "managed" {
  for_each = var.services

  project             = var.project_id
  location            = var.region
  name                = each.key
  ingress             = each.value.ingress
  deletion_protection = each.value.deletion_protection
  labels              = merge(var.labels, { cutover_service = each.key })

  template {
    service_account = google_service_account.runtime[each.key].email

    scaling {
      min_instance_count = each.value.min_instances
      max_instance_count = each.value.max_instances
    }

    containers {
      image = "${each.value.image}:${each.value.initial_tag}"

      ports {
        container_port = each.value.container_port
      }

      resources {
        limits = {
          cpu    = each.value.cpu
          memory = each.value.memory
        }
      }

      dynamic "env" {
        for_each = merge(each.value.env, local.color_env[each.key].blue)
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [
      template[0].containers[0].image,
      template[0].containers[0].env,
      template[0].revision,
      template[0].labels,
      traffic,
      annotations["cutover.dev/stable"],
      annotations["cutover.dev/release"],
      annotations["cutover.dev/release-id"],
      annotations["cutover.dev/phase"],
      annotations["cutover.dev/failed-images"],
      annotations["cutover.dev/history"],
      client,
      client_version,
    ]
  }

  depends_on = [google_project_service.apis]
}
