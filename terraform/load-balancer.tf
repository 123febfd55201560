# Optional (var.load_balancer.enabled, off by default): a global external Application Load Balancer
# for one domain in front of one managed service, with a Google-managed certificate.
#
#   https://DOMAIN/api/*      → the service's serverless NEG: Cloud Run's own traffic split
#                               (the blue/green percents cutover writes), path rewritten to /*
#   https://DOMAIN/api/vN/*   → a serverless NEG pinned to the Cloud Run tag `api-vN`: exactly the
#                               revision of version vN, path rewritten to /*
#
# cutover tags each candidate `api-vN` (shared/domain/version-tag.ts; Cloud Run tags need at least
# 3 characters, so the tag carries an `api-` prefix while the path keeps `vN`), moves the tag with
# promotion and points a rolled-back version's tag at the stable.
#
# Why one NEG per version with `cloud_run.tag`, not one NEG with a `url_mask`: a URL mask parses
# `<service>` and `<tag>` out of the request URL, but does not rewrite the path, so the revision would
# receive `/api/vN/predict` and every model would have to know its own prefix; and the mask's tag
# would be the path's `vN`, not the `api-vN` Cloud Run accepts. Explicit tags keep the mapping in the
# URL map, where `url_rewrite` strips the prefix, and a version nobody listed never reaches a NEG.
# The price: versions are listed (`load_balancer.versions`); adding a major means adding it here.
# Sources: docs/google-behaviour.md, "Load balancer".

locals {
  lb            = var.load_balancer
  lb_enabled    = local.lb.enabled
  lb_service    = local.lb_enabled ? local.lb.service : null
  lb_versions   = local.lb_enabled ? toset(local.lb.versions) : toset([])
  lb_tag_prefix = "api-"
  lb_name       = local.lb_enabled ? "cutover-${local.lb.service}" : null
}

resource "google_compute_global_address" "lb" {
  count   = local.lb_enabled ? 1 : 0
  project = var.project_id
  name    = "${local.lb_name}-ip"
}

resource "google_compute_managed_ssl_certificate" "lb" {
  count   = local.lb_enabled ? 1 : 0
  project = var.project_id
  name    = "${local.lb_name}-cert"

  managed {
    domains = [local.lb.domain]
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The service as a whole: requests follow Cloud Run's traffic split.
resource "google_compute_region_network_endpoint_group" "lb_service" {
  count                 = local.lb_enabled ? 1 : 0
  project               = var.project_id
  region                = var.region
  name                  = "${local.lb_name}-neg"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.managed[local.lb_service].name
  }

  lifecycle {
    precondition {
      condition     = contains(keys(var.services), coalesce(local.lb_service, "-"))
      error_message = "load_balancer.service must be one of the keys of services."
    }
  }
}

# One per version: pinned to the revision tagged api-vN.
resource "google_compute_region_network_endpoint_group" "lb_version" {
  for_each              = local.lb_versions
  project               = var.project_id
  region                = var.region
  name                  = "${local.lb_name}-${each.key}-neg"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloud_run_v2_service.managed[local.lb_service].name
    tag     = "${local.lb_tag_prefix}${each.key}"
  }

  lifecycle {
    precondition {
      condition     = length("${local.lb_tag_prefix}${each.key}") + length(local.lb_service) <= 46
      error_message = "The Cloud Run tag api-${each.key} and the service ${local.lb_service} together exceed Cloud Run's 46 characters."
    }
  }
}

# Serverless NEG backends take no health check, port name or timeout.
resource "google_compute_backend_service" "lb_service" {
  count                 = local.lb_enabled ? 1 : 0
  project               = var.project_id
  name                  = "${local.lb_name}-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"

  backend {
    group = google_compute_region_network_endpoint_group.lb_service[0].id
  }
}

resource "google_compute_backend_service" "lb_version" {
  for_each              = local.lb_versions
  project               = var.project_id
  name                  = "${local.lb_name}-${each.key}-backend"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"

  backend {
    group = google_compute_region_network_endpoint_group.lb_version[each.key].id
  }
}

resource "google_compute_url_map" "lb" {
  count           = local.lb_enabled ? 1 : 0
  project         = var.project_id
  name            = "${local.lb_name}-urls"
  default_service = google_compute_backend_service.lb_service[0].id

  host_rule {
    hosts        = [local.lb.domain]
    path_matcher = "api"
  }

  path_matcher {
    name            = "api"
    default_service = google_compute_backend_service.lb_service[0].id

    # PREFIX/vN/… → the revision of vN, as /…; versions first (lower priority numbers win).
    dynamic "route_rules" {
      for_each = { for i, v in sort(tolist(local.lb_versions)) : v => i }
      content {
        priority = route_rules.value + 1
        service  = google_compute_backend_service.lb_version[route_rules.key].id
        match_rules {
          prefix_match = "${local.lb.path_prefix}/${route_rules.key}/"
        }
        route_action {
          url_rewrite {
            path_prefix_rewrite = "/"
          }
        }
      }
    }

    # PREFIX/… → the service's split, as /….
    route_rules {
      priority = 1000
      service  = google_compute_backend_service.lb_service[0].id
      match_rules {
        prefix_match = "${local.lb.path_prefix}/"
      }
      route_action {
        url_rewrite {
          path_prefix_rewrite = "/"
        }
      }
    }
  }
}

resource "google_compute_target_https_proxy" "lb" {
  count            = local.lb_enabled ? 1 : 0
  project          = var.project_id
  name             = "${local.lb_name}-https"
  url_map          = google_compute_url_map.lb[0].id
  ssl_certificates = [google_compute_managed_ssl_certificate.lb[0].id]
}

resource "google_compute_global_forwarding_rule" "lb_https" {
  count                 = local.lb_enabled ? 1 : 0
  project               = var.project_id
  name                  = "${local.lb_name}-https"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb[0].id
  port_range            = "443"
  target                = google_compute_target_https_proxy.lb[0].id
}

# Plain HTTP on the same address answers with a redirect to HTTPS.
resource "google_compute_url_map" "lb_redirect" {
  count   = local.lb_enabled && local.lb.http_redirect ? 1 : 0
  project = var.project_id
  name    = "${local.lb_name}-redirect"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "lb_redirect" {
  count   = local.lb_enabled && local.lb.http_redirect ? 1 : 0
  project = var.project_id
  name    = "${local.lb_name}-http"
  url_map = google_compute_url_map.lb_redirect[0].id
}

resource "google_compute_global_forwarding_rule" "lb_http" {
  count                 = local.lb_enabled && local.lb.http_redirect ? 1 : 0
  project               = var.project_id
  name                  = "${local.lb_name}-http"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_address            = google_compute_global_address.lb[0].id
  port_range            = "80"
  target                = google_compute_target_http_proxy.lb_redirect[0].id
}
