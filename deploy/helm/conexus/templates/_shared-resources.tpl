{{/* Resources every component has in the same shape: ServiceAccount, PodDisruptionBudget, HorizontalPodAutoscaler. */}}

{{/*
A component's ServiceAccount; its token is not mounted unless "automountToken" is true (the controller, the one
service that calls the Kubernetes API). Call with (dict "root" $ "component" "gateway" "values" .Values.gateway).
*/}}
{{- define "conexus.serviceAccount" -}}
{{- if .values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "conexus.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "conexus.labels" . | nindent 4 }}
  {{- with .values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ if .automountToken }}true{{ else }}false{{ end }}
{{- end }}
{{- end }}

{{/* A component's PodDisruptionBudget. Call with (dict "root" $ "component" "gateway" "values" .Values.gateway). */}}
{{- define "conexus.podDisruptionBudget" -}}
{{- if .values.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "conexus.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "conexus.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "conexus.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* A Deployment's HorizontalPodAutoscaler (autoscaling/v2). Call with (dict "root" $ "component" "gateway" "values" .Values.gateway). */}}
{{- define "conexus.horizontalPodAutoscaler" -}}
{{- $a := .values.autoscaling }}
{{- if $a.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "conexus.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "conexus.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "conexus.componentName" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    {{- range $resource, $target := dict "cpu" $a.targetCPUUtilizationPercentage "memory" $a.targetMemoryUtilizationPercentage }}
    {{- if $target }}
    - type: Resource
      resource:
        name: {{ $resource }}
        target:
          type: Utilization
          averageUtilization: {{ $target }}
    {{- end }}
    {{- end }}
{{- end }}
{{- end }}
