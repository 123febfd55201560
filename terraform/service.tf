# The managed services, created blue. Terraform owns the service and its template (resources,
# scaling, common env, ports, probes, VPC); cutover owns the image, the per-color settings, traffic,
# tags and its annotations (README "Who owns what"). ignore_changes lists exactly the template
# fields a cutover deploy writes (shared/adapters/gcp/cloud-run-template.ts TEMPLATE_WRITES), so a
# plan after any release, promotion or rollback is empty, and a Terraform change of anything else
# re-sends cutover's values for them:
# - template[0].containers[0].image: the revision's image (a digest after the first release);
# - template[0].containers[0].env[0]: the color's inference-log bucket, always the first entry, so
#   the env common to both colors (the entries after it) stays Terraform's;
# - template[0].service_account: the color's runtime account;
# - template[0].labels: the color label of the revision.
# traffic is Optional+Computed in the provider (a plan keeps what is there when the configuration
# sets none); it is listed anyway, as cutover always writes it. template[0].revision is NOT ignored:
# cutover leaves it empty, so Terraform never re-sends a revision name (hashicorp/terraform-provider-
# google#14569, #13410). Service annotations are not listed: the provider manages only the keys in
# the configuration (effective_annotations holds the rest), and this one sets none.
resource "google_cloud_run_v2_service" "managed" {
  for_each = var.services

  project             = var.project_id
  location            = var.region
  name                = each.key
  ingress             = each.value.ingress
  deletion_protection = each.value.deletion_protection
  labels              = merge(var.labels, { cutover_service = each.key })

  template {
    service_account = google_service_account.runtime["${each.key}/blue"].email

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

      # env[0]: blue's inference-log bucket; cutover sets the candidate color's value in its place.
      env {
        name  = var.inference_log_env_name
        value = google_storage_bucket.inference_log["${each.key}/blue"].name
      }

      dynamic "env" {
        for_each = each.value.env
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
      template[0].containers[0].env[0],
      template[0].service_account,
      template[0].labels,
      traffic,
      client,
      client_version,
    ]
  }

  depends_on = [google_project_service.apis]
}
