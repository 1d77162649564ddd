{{/* The pod template of the NATS-connected services (query, policy, indexer): one container with a health port. */}}

{{/*
A service's pod template. Call with (dict "root" $ "component" "query" "values" .Values.query), plus optional
"env" (EnvVar YAML), "secretEnvFrom" (a Secret name), "volumeMounts" and "volumes" (YAML lists).
*/}}
{{- define "conexus.servicePodTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "conexus.labels" . | nindent 4 }}
    {{- with .values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/" .component "/configmap.yaml") $root | sha256sum }}
    {{- with .values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "conexus.serviceAccountName" . }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ .values.terminationGracePeriodSeconds }}
  securityContext:
    {{- include "conexus.podSecurityContext" $root | nindent 4 }}
  {{- with include "conexus.imagePullSecrets" $root | trim }}{{- . | nindent 2 }}{{- end }}
  {{- with include "conexus.scheduling" . | trim }}{{- . | nindent 2 }}{{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "conexus.image" . }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - name: health
          containerPort: 8081
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "conexus.componentName" . }}
        {{- with .secretEnvFrom }}
        - secretRef:
            name: {{ . }}
        {{- end }}
      env:
        {{- include "conexus.natsUrlEnv" $root | nindent 8 }}
        {{- with include "conexus.otelEnv" . | trim }}{{- . | nindent 8 }}{{- end }}
        {{- with .env }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with .values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- include "conexus.healthProbes" . | nindent 6 }}
      {{- with include "conexus.lifecycle" .values | trim }}{{- . | nindent 6 }}{{- end }}
      resources:
        {{- toYaml .values.resources | nindent 8 }}
      securityContext:
        {{- include "conexus.containerSecurityContext" $root | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- with .volumeMounts }}
        {{- . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 1Gi
    {{- with .volumes }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* The variables every NATS-connected service's ConfigMap starts with. */}}
{{- define "conexus.serviceConfigData" -}}
CONEXUS_SHARDS: {{ .Values.shards | quote }}
CONEXUS_HEALTH_PORT: "8081"
CONEXUS_HEALTH_HOST: 0.0.0.0
{{- end }}
