variable "namespace" {
  description = "Namespace of the release."
  type        = string
}

variable "release_name" {
  description = "Helm release name."
  type        = string
}
