variable "project_id" {
  type        = string
  description = "Project to deploy the leakage model's blue/green setup into."
}

variable "region" {
  type        = string
  description = "Region of the service, the functions and the Artifact Registry repository."
  default     = "us-central1"
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
