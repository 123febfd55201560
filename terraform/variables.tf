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
  description = "Location of the Artifact Registry repository (a region such as us-central1, or a multi-region: us, europe, asia); null means the same as region."
  default     = null

  validation {
    condition     = var.repository_location == null ? true : can(regex("^([a-z]+-[a-z]+[0-9]+|us|europe|asia)$", var.repository_location))
    error_message = "repository_location must be a region such as us-central1, or us, europe or asia."
  }
}

variable "create_gcr_topic" {
  type        = bool
  description = "Create the Pub/Sub topic `gcr` that Artifact Registry publishes to, as Google's Artifact Registry notification page asks. Set false when the project has it already (or import it: `terraform import 'module.cutover.google_pubsub_topic.gcr[0]' projects/PROJECT/topics/gcr`)."
  default     = true

  validation {
    condition     = var.create_gcr_topic == true || var.create_gcr_topic == false
    error_message = "create_gcr_topic must be true or false."
  }
}

variable "enable_apis" {
  type        = bool
  description = "Enable the Google APIs the module needs. Disabling them again on destroy is never done."
  default     = true

  validation {
    condition     = var.enable_apis == true || var.enable_apis == false
    error_message = "enable_apis must be true or false."
  }
}

variable "iam_propagation_seconds" {
  type        = number
  description = "How long the first apply waits after granting the build and trigger accounts before building the functions and creating their push subscriptions. IAM changes usually apply within 2 minutes, sometimes 7 or more; a first apply that still fails with a permission error succeeds when re-run."
  default     = 120

  validation {
    condition     = var.iam_propagation_seconds >= 0 && var.iam_propagation_seconds <= 900 && floor(var.iam_propagation_seconds) == var.iam_propagation_seconds
    error_message = "iam_propagation_seconds must be a whole number from 0 to 900."
  }
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries of one event to a function before its push subscription gives up and forwards it to cutover-dead-letter."
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100 && floor(var.max_delivery_attempts) == var.max_delivery_attempts
    error_message = "max_delivery_attempts must be a whole number from 5 to 100 (Pub/Sub's limits)."
  }
}

variable "package_dir" {
  type        = string
  description = "Directory of the cutover release whose functions are deployed: an installed package (node_modules/cutover after `npm install cutover@VERSION`) or an unpacked `npm pack` tarball. It holds package.json, its lock file and the compiled dist/, which are zipped and uploaded as the functions' source. Default: the package this module ships in (the module's parent directory), which in a checkout is the repository after `npm run build`."
  default     = null

  validation {
    condition     = var.package_dir == null || try(fileexists("${var.package_dir}/package.json"), false)
    error_message = "package_dir must name a cutover package: the directory holding its package.json and dist/ (node_modules/cutover, or an unpacked release tarball's package/)."
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
        minPredictions         = optional(number)
        failAlpha              = optional(number)
        passAlpha              = optional(number)
        promoteAlpha           = optional(number)
        clearlyBad = optional(object({
          max5xxRate      = optional(number)
          p95Increase     = optional(number)
          predictionDrift = optional(number)
        }))
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
    }), {})
  }))
  description = <<-EOT
    The Cloud Run services cutover manages, keyed by service ID. Per service:
    - image: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`, no tag or digest (the image cutover follows);
      initial_tag: the tag deployed when Terraform creates the service (blue).
    - container_port, cpu, memory, min_instances, max_instances, env, ingress: the service's settings,
      Terraform's to change at any time (cutover releases each change like an image push). env holds
      values common to both colors; the per-color value is the inference-log bucket.
    - invokers: members allowed to call the service (roles/run.invoker).
    - deletion_protection: refuse `terraform destroy` of the service.
    - alerts: 5xx ratio, p95 latency (ms) and the band the mean prediction must stay in, held for
      duration_seconds before an incident opens (and revertOnAlert rolls back).
    - release: the service's entry of cutover's config, key for key (camelCase) as in
      shared/schemas/config.ts; unset keys take cutover's defaults. smoke.routes[].body is JSON text.
      The module adds `service`, `image` and each color's settings (its inference-log bucket as the
      one per-color env value, and its runtime service account).
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
    condition = alltrue([for s in var.services :
      can(regex("^([0-9]+(\\.[0-9]+)?|[0-9]+m)$", s.cpu)) && can(regex("^[0-9]+(Mi|Gi)$", s.memory)) &&
      s.min_instances >= 0 && s.max_instances >= 1 && s.min_instances <= s.max_instances &&
      s.container_port >= 1 && s.container_port <= 65535
    ])
    error_message = "Each service needs cpu such as \"1\" or \"500m\", memory such as \"512Mi\" or \"1Gi\", 0 <= min_instances <= max_instances with max_instances >= 1, and container_port 1 to 65535."
  }

  validation {
    condition     = alltrue([for s in var.services : alltrue([for k, v in s.env : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k))])])
    error_message = "services[*].env keys must be environment variable names."
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
    runtime               = optional(string, "nodejs22")
    memory                = optional(string, "512Mi")
    timeout_seconds       = optional(number, 300)
    max_instances         = optional(number, 10)
    alert_min_instances   = optional(number, 1)
    build_service_account = optional(string)
  })
  description = "Settings shared by the cutover functions: Node.js runtime (nodejs22; Node 20 was decommissioned on 2026-10-30), memory, timeout, instance limit, alert_min_instances (warm instances of both revertOnAlert deployments, so an alert never waits for a cold start; 0 turns it off), and build_service_account, the full resource name (projects/P/serviceAccounts/EMAIL) of an existing account Cloud Build builds as (null: the module creates cutover-build with the documented roles)."
  default     = {}

  validation {
    condition     = can(regex("^nodejs(2[2-9]|[3-9][0-9])$", var.functions.runtime))
    error_message = "functions.runtime must be nodejs22 or later (nodejs20 is decommissioned)."
  }

  validation {
    condition     = var.functions.timeout_seconds >= 1 && var.functions.timeout_seconds <= 540 && var.functions.max_instances >= 1 && var.functions.alert_min_instances >= 0 && var.functions.alert_min_instances <= var.functions.max_instances
    error_message = "functions.timeout_seconds must be 1 to 540, max_instances at least 1, alert_min_instances from 0 to max_instances."
  }

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.functions.memory))
    error_message = "functions.memory must be a size such as 512Mi or 1Gi."
  }

  validation {
    condition     = var.functions.build_service_account == null ? true : can(regex("^projects/[^/]+/serviceAccounts/[^/]+@[^/]+$", var.functions.build_service_account))
    error_message = "functions.build_service_account must be projects/PROJECT/serviceAccounts/EMAIL."
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

  validation {
    condition     = alltrue([for c in var.extra_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", c))])
    error_message = "Each extra notification channel must be an ID such as projects/PROJECT/notificationChannels/123."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to every resource that takes labels."
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "Label keys must start with a lowercase letter and hold lowercase letters, digits, _ or - (at most 63); values the same, possibly empty."
  }
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
