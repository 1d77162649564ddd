{{/*
Cross-field rules the schema cannot express. Every broken rule is collected and reported in one failure,
like the services' own configuration errors.
*/}}
{{- define "conexus.validateValues" -}}
{{- $errors := list }}
{{- $v := .Values }}
{{- $natsSources := 0 }}
{{- if $v.nats.url }}{{ $natsSources = add1 $natsSources }}{{ end }}
{{- if $v.nats.urlSecret.name }}{{ $natsSources = add1 $natsSources }}{{ end }}
{{- if $v.nats.bundled.enabled }}{{ $natsSources = add1 $natsSources }}{{ end }}
{{- if ne (int $natsSources) 1 }}
{{- $errors = append $errors "nats: set exactly one of nats.url, nats.urlSecret.name or nats.bundled.enabled=true" }}
{{- end }}
{{- if and (hasPrefix "http://" $v.auth.oidc.issuer) (not $v.auth.oidc.allowHttp) }}
{{- $errors = append $errors "auth.oidc.issuer: an http:// issuer needs auth.oidc.allowHttp=true (test providers only)" }}
{{- end }}
{{- if and $v.nats.bundled.enabled (gt (int $v.policy.kvReplicas) (int $v.nats.bundled.replicas)) }}
{{- $errors = append $errors (printf "policy.kvReplicas: %v exceeds the bundled NATS servers (%v)" $v.policy.kvReplicas $v.nats.bundled.replicas) }}
{{- end }}
{{- range $component := list "gateway" "query" "policy" "indexer" "controller" }}
{{- $c := index $v $component }}
{{- if and (gt (int $c.preStopSleepSeconds) 0) (le (int $c.terminationGracePeriodSeconds) (int $c.preStopSleepSeconds)) }}
{{- $errors = append $errors (printf "%s.terminationGracePeriodSeconds: must exceed %s.preStopSleepSeconds (%v), or the drain is cut short" $component $component $c.preStopSleepSeconds) }}
{{- end }}
{{- end }}
{{- range $component := list "gateway" "query" }}
{{- $a := (index $v $component).autoscaling }}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- $errors = append $errors (printf "%s.autoscaling: minReplicas (%v) exceeds maxReplicas (%v)" $component $a.minReplicas $a.maxReplicas) }}
{{- end }}
{{- if and $a.enabled (not (or $a.targetCPUUtilizationPercentage $a.targetMemoryUtilizationPercentage)) }}
{{- $errors = append $errors (printf "%s.autoscaling: set targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" $component) }}
{{- end }}
{{- end }}
{{- if and $v.indexer.persistence.existingClaim (gt (int $v.indexer.replicas) 1) (not (has "ReadWriteMany" $v.indexer.persistence.accessModes)) }}
{{- $errors = append $errors "indexer.persistence: replicas sharing existingClaim need accessModes [ReadWriteMany]" }}
{{- end }}
{{- if and $v.ingress.enabled (not $v.ingress.hosts) }}
{{- $errors = append $errors "ingress.hosts: at least one host when ingress.enabled=true" }}
{{- end }}
{{- if and $v.httpRoute.enabled (not $v.httpRoute.parentRefs) }}
{{- $errors = append $errors "httpRoute.parentRefs: at least one Gateway when httpRoute.enabled=true" }}
{{- end }}
{{- if and $v.tests.enabled (not $v.tests.credentialsSecret.name) }}
{{- $errors = append $errors "tests.credentialsSecret.name: required when tests.enabled=true (a Secret with a token or API key for the test search)" }}
{{- end }}
{{- if and $v.tests.enabled (or $v.gateway.tls.secretName (hasPrefix "https://" $v.tests.url)) (not (or $v.tests.ca.secretName $v.gateway.tls.secretName)) }}
{{- $errors = append $errors "tests.ca.secretName: required for an https test URL when the gateway does not serve TLS itself" }}
{{- end }}
{{- $c := $v.controller }}
{{- if $c.enabled }}
{{- if not $c.tenants }}
{{- $errors = append $errors "controller.tenants: at least one tenant ({name, secretName, key}) when controller.enabled=true" }}
{{- end }}
{{- $tenants := list }}
{{- range $c.tenants }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" .name) }}
{{- $errors = append $errors (printf "controller.tenants: %q is not a DNS label (lowercase letters, digits and '-', at most 63), as ConexusRepository spec.tenant requires" .name) }}
{{- else if has .name $tenants }}
{{- $errors = append $errors (printf "controller.tenants: %q is listed twice" .name) }}
{{- end }}
{{- $tenants = append $tenants .name }}
{{- end }}
{{- if and $v.networkPolicy.enabled (not $c.networkPolicy.apiServerEgress.cidrs) }}
{{- $errors = append $errors "controller.networkPolicy.apiServerEgress.cidrs: the Kubernetes API server's addresses are required while networkPolicy.enabled=true (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)" }}
{{- end }}
{{- if and (not $c.serviceAccount.create) (not $c.serviceAccount.name) }}
{{- $errors = append $errors "controller.serviceAccount.name: required when controller.serviceAccount.create=false (the Role is bound to it, never to the namespace's default account)" }}
{{- end }}
{{- if and $c.gateway.caSecret.name (not $v.gateway.tls.secretName) }}
{{- $errors = append $errors "controller.gateway.caSecret.name: the gateway serves plain http (gateway.tls.secretName is empty), so no CA applies" }}
{{- end }}
{{- end }}
{{- if $errors }}
{{- fail (printf "\n\nconexus: invalid values:\n  - %s" (join "\n  - " $errors)) }}
{{- end }}
{{- end }}
