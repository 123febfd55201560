output "service" {
  description = "The leakage-model service: full name, URL and runtime service account."
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

output "dead_letter_commands" {
  description = "Run these once after the first apply to dead-letter the functions' trigger subscriptions."
  value       = module.cutover.dead_letter_commands
}
