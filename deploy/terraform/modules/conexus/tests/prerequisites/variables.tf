variable "namespace" {
  description = "Namespace to create."
  type        = string
}

variable "oidc_issuer" {
  description = "Issuer URL stored in the auth Secret."
  type        = string
}

variable "oidc_audience" {
  description = "Audience stored in the auth Secret."
  type        = string
}

variable "tls_certificate_file" {
  description = "PEM certificate chain of the gateway."
  type        = string
}

variable "tls_private_key_file" {
  description = "PEM private key of the gateway."
  type        = string
}
