output "service" {
  description = "The leakage-model service: full name, URL, runtime service account per color and dashboard."
  value       = module.cutover.services["leakage-model"]
}

output "inference_log_buckets" {
  description = "The blue and green inference-log buckets."
  value       = module.cutover.inference_log_buckets
}

output "functions" {
  description = "The cutover functions and their URLs."
  value       = module.cutover.functions
}

output "cutover_config" {
  description = "The rendered cutover config (JSON)."
  value       = module.cutover.cutover_config
}

output "trigger_subscriptions" {
  description = "The functions' push subscriptions, each dead-lettered to cutover-dead-letter."
  value       = module.cutover.trigger_subscriptions
}
