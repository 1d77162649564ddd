{{/* Names, labels and the pieces every component's pod shares. */}}

{{/* The chart name. */}}
{{- define "conexus.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The resource name prefix: `<release>-conexus`, or the release name when it already contains the chart name. */}}
{{- define "conexus.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* A component's resource name: `<fullname>-<component>`. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "conexus.componentName" -}}
{{- printf "%s-%s" (include "conexus.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The labels that select a release's pods (every component). */}}
{{- define "conexus.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "conexus.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The labels that select one component's pods. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "conexus.selectorLabels" -}}
{{ include "conexus.releaseSelectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Every label of a component's resources. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "conexus.labels" -}}
{{ include "conexus.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: conexus
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* A service image: `<registry>/<repositoryPrefix>/<service>:<tag>`. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "conexus.image" -}}
{{- $image := .root.Values.image }}
{{- $path := printf "%s/%s" $image.repositoryPrefix .component | trimPrefix "/" }}
{{- $repository := ternary (printf "%s/%s" $image.registry $path) $path (ne $image.registry "") }}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* The ServiceAccount name of a component. Call with (dict "root" $ "component" "gateway" "values" .Values.gateway). */}}
{{- define "conexus.serviceAccountName" -}}
{{- if .values.serviceAccount.create }}
{{- default (include "conexus.componentName" .) .values.serviceAccount.name }}
{{- else }}
{{- default "default" .values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The restricted Pod Security pod context, the same for every pod of the chart. */}}
{{- define "conexus.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The restricted Pod Security container context, the same for every container of the chart. */}}
{{- define "conexus.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Image pull secrets of the service images, as a pod spec field. */}}
{{- define "conexus.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/* The gateway's base URL inside the cluster, https when it serves TLS. */}}
{{- define "conexus.gatewayUrl" -}}
{{- $scheme := ternary "https" "http" (ne .Values.gateway.tls.secretName "") }}
{{- printf "%s://%s.%s.svc:%v" $scheme (include "conexus.componentName" (dict "root" . "component" "gateway")) .Release.Namespace .Values.gateway.service.port }}
{{- end }}

{{/* The controller's leader-election Lease: controller.leaseName, default `<fullname>-controller`. */}}
{{- define "conexus.controllerLeaseName" -}}
{{- default (include "conexus.componentName" (dict "root" . "component" "controller")) .Values.controller.leaseName }}
{{- end }}

{{/* The Secret holding the CA the controller trusts for the gateway, when the gateway serves TLS: controller.gateway.caSecret.name, default gateway.tls.secretName. */}}
{{- define "conexus.controllerCaSecret" -}}
{{- if .Values.gateway.tls.secretName }}
{{- default .Values.gateway.tls.secretName .Values.controller.gateway.caSecret.name }}
{{- end }}
{{- end }}

{{/* NATS_URL as an EnvVar: from nats.urlSecret, nats.url, or the bundled cluster's client Service. */}}
{{- define "conexus.natsUrlEnv" -}}
- name: NATS_URL
{{- if .Values.nats.urlSecret.name }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.nats.urlSecret.name }}
      key: {{ .Values.nats.urlSecret.key }}
{{- else if .Values.nats.url }}
  value: {{ .Values.nats.url | quote }}
{{- else }}
  value: {{ printf "nats://%s:4222" (include "conexus.componentName" (dict "root" . "component" "nats")) | quote }}
{{- end }}
{{- end }}

{{/* The OpenTelemetry variables every service reads, as EnvVars. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "conexus.otelEnv" -}}
{{- with .root.Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "conexus-%s" $.component | quote }}
{{- with $.root.Values.otel.protocol }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Topology spread constraints with the component's selector added where none is given. Call with (dict "root" $ "component" "gateway" "values" .Values.gateway). */}}
{{- define "conexus.topologySpread" -}}
{{- $selector := fromYaml (include "conexus.selectorLabels" .) }}
{{- range .values.topologySpread }}
- {{ toYaml (merge (dict) . (dict "labelSelector" (dict "matchLabels" $selector))) | indent 2 | trim }}
{{- end }}
{{- end }}

{{/* The scheduling fields of a pod spec. Call with (dict "root" $ "component" "gateway" "values" .Values.gateway). */}}
{{- define "conexus.scheduling" -}}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .values.topologySpread }}
topologySpreadConstraints:
  {{- include "conexus.topologySpread" . | trim | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}

{{/* The preStop sleep that lets endpoints drain before SIGTERM (no shell needed). Call with a component's values. */}}
{{- define "conexus.lifecycle" -}}
{{- if gt (int .preStopSleepSeconds) 0 }}
lifecycle:
  preStop:
    sleep:
      seconds: {{ .preStopSleepSeconds }}
{{- end }}
{{- end }}

{{/* Probes on the health port (query, policy, indexer): started, alive, ready (connected to NATS). */}}
{{- define "conexus.healthProbes" -}}
startupProbe:
  httpGet:
    path: /healthz
    port: health
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /healthz
    port: health
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: health
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end }}

{{/* NetworkPolicy ipBlock peers from CIDR strings or {cidr, except} objects; any address when the list is empty. */}}
{{- define "conexus.ipBlockPeers" -}}
{{- $blocks := . }}
{{- if not $blocks }}
{{- $blocks = list "0.0.0.0/0" "::/0" }}
{{- end }}
{{- range $blocks }}
{{- if kindIs "string" . }}
- ipBlock:
    cidr: {{ . }}
{{- else }}
- ipBlock:
    cidr: {{ .cidr }}
    {{- with .except }}
    except:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* NetworkPolicy ports (TCP) from a list of numbers. */}}
{{- define "conexus.tcpPorts" -}}
{{- range . }}
- protocol: TCP
  port: {{ . }}
{{- end }}
{{- end }}

{{/* The egress rules every service pod shares: DNS, NATS and the OTLP collector. */}}
{{- define "conexus.serviceEgress" -}}
{{ include "conexus.dnsEgress" . }}
{{- if .Values.nats.bundled.enabled }}
- to:
    - podSelector:
        matchLabels:
          {{- include "conexus.selectorLabels" (dict "root" . "component" "nats") | nindent 10 }}
  ports:
    - protocol: TCP
      port: 4222
{{- else }}
- to:
    {{- include "conexus.ipBlockPeers" .Values.nats.externalEgress.cidrs | trim | nindent 4 }}
  ports:
    {{- include "conexus.tcpPorts" .Values.nats.externalEgress.ports | trim | nindent 4 }}
{{- end }}
{{- include "conexus.otelEgress" . }}
{{- end }}

{{/* The egress rule to the DNS peers (UDP and TCP 53). */}}
{{- define "conexus.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dnsPeers | nindent 4 }}
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end }}

{{/* The egress rule to the OTLP collector, when otel.endpoint is set. */}}
{{- define "conexus.otelEgress" -}}
{{- if .Values.otel.endpoint }}
- to:
    {{- include "conexus.ipBlockPeers" .Values.otel.egress.cidrs | trim | nindent 4 }}
  ports:
    {{- include "conexus.tcpPorts" .Values.otel.egress.ports | trim | nindent 4 }}
{{- end }}
{{- end }}

{{/* The policy bucket's KV replicas: the value, else the bundled NATS size, else 1. */}}
{{- define "conexus.policyKvReplicas" -}}
{{- if gt (int .Values.policy.kvReplicas) 0 }}
{{- .Values.policy.kvReplicas }}
{{- else if .Values.nats.bundled.enabled }}
{{- .Values.nats.bundled.replicas }}
{{- else }}
{{- 1 }}
{{- end }}
{{- end }}

{{/* Whether the cluster (or `helm template --api-versions`) serves an API kind. Call with (dict "root" $ "api" "monitoring.coreos.com/v1/ServiceMonitor"). */}}
{{- define "conexus.hasApi" -}}
{{- if .root.Capabilities.APIVersions.Has .api }}true{{ end }}
{{- end }}
