variable "project_id" {
  type        = string
  description = "Project to deploy the leakage model's blue/green setup into."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID."
  }
}

variable "region" {
  type        = string
  description = "Region of the service, the functions and the Artifact Registry repository."
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1."
  }
}

variable "initial_tag" {
  type        = string
  description = "Tag of leakage-model in the `models` repository that the service starts from (blue)."
  default     = "1.0.0"
}

variable "operators" {
  type        = list(string)
  description = "Members who may publish rollback requests, e.g. group:ml-oncall@example.com."
  default     = []
}
