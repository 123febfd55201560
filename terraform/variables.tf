variable "project_id" {
  type        = string
  description = "Project that holds the Cloud Run services, the Artifact Registry repository and everything this module creates."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID (6 to 30 lowercase letters, digits or hyphens, starting with a letter)."
  }
}

variable "region" {
  type        = string
  description = "Region of the Cloud Run services, the functions, the scheduler job and the inference-log buckets."

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1."
  }
}

variable "repository" {
  type        = string
  description = "Name of the existing Artifact Registry Docker repository the services' images live in. cutover may tag images only there."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.repository))
    error_message = "repository must be an Artifact Registry repository ID (lowercase letters, digits and hyphens)."
  }
}

variable "repository_location" {
  type        = string
  description = "Location of the Artifact Registry repository; null means the same as region."
  default     = null
}

variable "create_gcr_topic" {
  type        = bool
  description = "Create the Pub/Sub topic `gcr` that Artifact Registry publishes to. Leave false when it exists already (Google creates it when the Artifact Registry API is enabled, unless an org policy prevents that)."
  default     = false
}

variable "enable_apis" {
  type        = bool
  description = "Enable the Google APIs the module needs. Disabling them again on destroy is never done."
  default     = true
}

variable "source_dir" {
  type        = string
  description = "Local path of the built cutover project (package.json, package-lock.json and dist/ after `npm run build`); it is zipped and uploaded as the functions' source."

  validation {
    condition     = length(trimspace(var.source_dir)) > 0
    error_message = "source_dir must name the directory of the built cutover project."
  }
}

variable "services" {
  type = map(object({
    image          = string
    initial_tag    = string
    container_port = optional(number, 8080)
    cpu            = optional(string, "1")
    memory         = optional(string, "512Mi")
    min_instances  = optional(number, 0)
    max_instances  = optional(number, 10)
    env            = optional(map(string), {})
    ingress        = optional(string, "INGRESS_TRAFFIC_ALL")
    invokers       = optional(list(string), [])

    deletion_protection = optional(bool, true)

    alerts = optional(object({
      max_5xx_ratio       = optional(number, 0.02)
      p95_latency_ms      = optional(number, 1000)
      prediction_mean_min = optional(number, 0)
      prediction_mean_max = optional(number, 1)
      duration_seconds    = optional(number, 300)
    }), {})

    release = optional(object({
      tags = optional(object({
        include = optional(list(string))
        ignore  = optional(list(string))
      }))
      steps                = optional(list(number))
      bakeSeconds          = optional(number)
      monitoringLagSeconds = optional(number)
      thresholds = optional(object({
        max5xxRate             = optional(number)
        minRequests            = optional(number)
        p95Tolerance           = optional(number)
        p95SlackMs             = optional(number)
        maxPredictionDrift     = optional(number)
        failureLimit           = optional(number)
        criticalMultiple       = optional(number)
        maxInconclusiveSeconds = optional(number)
      }))
      smoke = optional(object({
        routes = optional(list(object({
          method       = optional(string)
          path         = string
          body         = optional(string)
          expectStatus = optional(number)
          samples      = optional(number)
        })))
        maxLatencyRatio   = optional(number)
        latencySlackMs    = optional(number)
        authenticate      = optional(bool)
        requireMonitoring = optional(bool)
        timeoutSeconds    = optional(number)
      }))
      onPushDuringRelease = optional(string)
      colors = optional(object({
        blue  = optional(object({ env = optional(map(string), {}) }), {})
        green = optional(object({ env = optional(map(string), {}) }), {})
      }), {})
    }), {})
  }))
  description = <<-EOT
    The Cloud Run services cutover manages, keyed by service ID. Per service:
    - image: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`, no tag or digest (the image cutover follows);
      initial_tag: the tag deployed when Terraform creates the service (blue).
    - container_port, cpu, memory, min_instances, max_instances, env, ingress: the service's settings.
      env holds values common to both colors; per-color values go in release.colors.
    - invokers: members allowed to call the service (roles/run.invoker).
    - deletion_protection: refuse `terraform destroy` of the service.
    - alerts: 5xx ratio, p95 latency (ms) and the band the mean prediction must stay in, held for
      duration_seconds before an incident opens (and revertOnAlert rolls back).
    - release: the service's entry of cutover's config, key for key (camelCase) as in
      shared/schemas/config.ts; unset keys take cutover's defaults. smoke.routes[].body is JSON text.
      The module adds `service`, `image` and the inference-log bucket to each color's env.
  EOT

  validation {
    condition     = length(var.services) > 0 && alltrue([for id, s in var.services : can(regex("^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$", id))])
    error_message = "services needs at least one entry, keyed by a Cloud Run service ID (lowercase letters, digits, hyphens; at most 49 characters)."
  }

  validation {
    condition     = alltrue([for s in var.services : can(regex("^[a-z0-9.-]+(:[0-9]+)?/[^@:\\s]+$", s.image))])
    error_message = "Each image must be an image reference without tag or digest, e.g. us-central1-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE."
  }

  validation {
    condition     = alltrue([for s in var.services : can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", s.initial_tag))])
    error_message = "Each initial_tag must be a Docker tag."
  }

  validation {
    condition = alltrue([for s in var.services : s.release.steps == null ? true : (
      length(s.release.steps) > 0 &&
      alltrue([for i, p in s.release.steps : p >= 1 && p <= 100 && floor(p) == p && (i == 0 ? true : p > s.release.steps[i - 1])]) &&
      s.release.steps[length(s.release.steps) - 1] == 100
    )])
    error_message = "release.steps must be whole percents that rise and end at 100."
  }

  validation {
    condition     = alltrue([for s in var.services : contains(["supersede", "reject"], coalesce(s.release.onPushDuringRelease, "supersede"))])
    error_message = "release.onPushDuringRelease must be \"supersede\" or \"reject\"."
  }

  validation {
    condition = alltrue([for s in var.services : s.release.thresholds == null ? true : (
      s.release.thresholds.max5xxRate == null ? true : s.release.thresholds.max5xxRate >= 0 && s.release.thresholds.max5xxRate <= 1
    )])
    error_message = "release.thresholds.max5xxRate must be between 0 and 1."
  }

  validation {
    condition = alltrue([for s in var.services : s.release.smoke == null ? true : (
      s.release.smoke.routes == null ? true : alltrue([for r in s.release.smoke.routes :
        startswith(r.path, "/") &&
        contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], coalesce(r.method, "GET")) &&
        (r.body == null ? true : can(jsondecode(r.body)))
      ])
    )])
    error_message = "Each release.smoke.routes entry needs a path starting with /, an HTTP method among GET, POST, PUT, PATCH, DELETE, HEAD, and a body that is JSON text."
  }

  validation {
    condition = alltrue([for s in var.services :
      s.alerts.max_5xx_ratio > 0 && s.alerts.max_5xx_ratio < 1 &&
      s.alerts.p95_latency_ms > 0 &&
      s.alerts.prediction_mean_min < s.alerts.prediction_mean_max &&
      s.alerts.duration_seconds >= 0 && s.alerts.duration_seconds % 60 == 0
    ])
    error_message = "alerts: max_5xx_ratio must be in (0, 1), p95_latency_ms above 0, prediction_mean_min below prediction_mean_max, duration_seconds a multiple of 60."
  }

  validation {
    condition     = alltrue([for s in var.services : contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], s.ingress)])
    error_message = "ingress must be INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  }
}

variable "inference_log_env_name" {
  type        = string
  description = "Env var that tells a revision which bucket holds its color's inference logs; the module sets it in both colors' env."
  default     = "INFERENCE_LOG_BUCKET"

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_]*$", var.inference_log_env_name))
    error_message = "inference_log_env_name must be an environment variable name."
  }
}

variable "inference_log_retention_days" {
  type        = number
  description = "Inference-log objects older than this many days are deleted; 0 keeps them forever."
  default     = 30

  validation {
    condition     = var.inference_log_retention_days >= 0 && floor(var.inference_log_retention_days) == var.inference_log_retention_days
    error_message = "inference_log_retention_days must be a whole number of days, 0 or more."
  }
}

variable "prediction_metric_name" {
  type        = string
  description = "Name of the log-based distribution metric of predictions; cutover reads it as logging.googleapis.com/user/NAME."
  default     = "cutover-prediction"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,100}$", var.prediction_metric_name))
    error_message = "prediction_metric_name may hold letters, digits, _ . - (at most 100)."
  }
}

variable "prediction_field" {
  type        = string
  description = "Field of the model's structured request log that holds the prediction score."
  default     = "jsonPayload.leakage_probability"

  validation {
    condition     = can(regex("^jsonPayload(\\.[A-Za-z_][A-Za-z0-9_]*)+$", var.prediction_field))
    error_message = "prediction_field must be a jsonPayload field path such as jsonPayload.leakage_probability."
  }
}

variable "prediction_buckets" {
  type = object({
    count  = number
    width  = number
    offset = number
  })
  description = "Linear histogram buckets of the prediction metric: count finite buckets of width, starting at offset."
  default     = { count = 20, width = 0.05, offset = 0 }

  validation {
    condition     = var.prediction_buckets.count >= 1 && var.prediction_buckets.width > 0
    error_message = "prediction_buckets needs at least one bucket of positive width."
  }
}

variable "max_event_age_seconds" {
  type        = number
  description = "Events older than this are acknowledged and logged, not acted on; null keeps cutover's default (3600)."
  default     = null

  validation {
    condition     = var.max_event_age_seconds == null ? true : var.max_event_age_seconds >= 0
    error_message = "max_event_age_seconds must be 0 or more."
  }
}

variable "tick_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the release.tick that drives advanceRelease."
  default     = "* * * * *"

  validation {
    condition     = length(split(" ", var.tick_schedule)) == 5
    error_message = "tick_schedule must be a five-field cron expression."
  }
}

variable "webhook_username" {
  type        = string
  description = "User name of the alert webhook's HTTP Basic auth; the password is generated and both live in Secret Manager."
  default     = "cutover"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,64}$", var.webhook_username))
    error_message = "webhook_username may hold letters, digits, _ . - (at most 64)."
  }
}

variable "functions" {
  type = object({
    runtime               = optional(string, "nodejs20")
    memory                = optional(string, "512Mi")
    timeout_seconds       = optional(number, 300)
    max_instances         = optional(number, 10)
    build_service_account = optional(string)
  })
  description = "Settings shared by the cutover functions: Node.js runtime, memory, timeout, instance limit, and build_service_account, the full resource name of the account Cloud Build uses (null: the project's default)."
  default     = {}

  validation {
    condition     = can(regex("^nodejs[0-9]+$", var.functions.runtime)) && var.functions.timeout_seconds >= 1 && var.functions.timeout_seconds <= 540 && var.functions.max_instances >= 1
    error_message = "functions.runtime must be a Node.js runtime such as nodejs20, timeout_seconds 1 to 540 (event functions' limit) and max_instances at least 1."
  }
}

variable "operators" {
  type        = list(string)
  description = "Members (user:, group:, serviceAccount:) who may publish rollback requests and operator events."
  default     = []

  validation {
    condition     = alltrue([for m in var.operators : can(regex("^(user|group|serviceAccount|domain):", m))])
    error_message = "Each operator must be a member such as user:alice@example.com or group:sre@example.com."
  }
}

variable "extra_notification_channels" {
  type        = list(string)
  description = "Further notification channel IDs (email, chat) added to every cutover alert policy."
  default     = []
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes labels."
  default     = {}
}

variable "load_balancer" {
  type = object({
    enabled = optional(bool, false)
    # The domain the managed certificate is issued for; its DNS A record must point at the output address.
    domain = optional(string)
    # The key in `services` the load balancer fronts.
    service = optional(string)
    # PREFIX/* follows the split, PREFIX/vN/* reaches version vN.
    path_prefix = optional(string, "/api")
    # Versions with their own route (PREFIX/vN/*), as cutover names them (`v{major}`): e.g. ["v1", "v2"].
    versions      = optional(list(string), [])
    http_redirect = optional(bool, true)
  })
  description = "Optional global external Application Load Balancer in front of one service: https://DOMAIN/api/* gets the service's traffic split, https://DOMAIN/api/vN/* the revision cutover tagged api-vN (see load-balancer.tf)."
  default     = {}

  validation {
    condition     = !var.load_balancer.enabled || (var.load_balancer.domain != null && var.load_balancer.service != null)
    error_message = "load_balancer.enabled needs load_balancer.domain and load_balancer.service."
  }

  validation {
    condition     = var.load_balancer.domain == null || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", coalesce(var.load_balancer.domain, "-")))
    error_message = "load_balancer.domain must be a lowercase DNS name such as api.example.com."
  }

  validation {
    condition     = can(regex("^(/[A-Za-z0-9._~-]+)+$", var.load_balancer.path_prefix))
    error_message = "load_balancer.path_prefix must start with / and not end with / (e.g. /api)."
  }

  validation {
    condition     = alltrue([for v in var.load_balancer.versions : can(regex("^[a-z][a-z0-9-]*[a-z0-9]$", v))])
    error_message = "load_balancer.versions must be version names like v2 (lowercase letters, digits and hyphens)."
  }
}
