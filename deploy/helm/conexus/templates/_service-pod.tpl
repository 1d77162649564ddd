{{/* The pod template of the services with a health port (query, policy, indexer, controller): one container. */}}

{{/*
A service's pod template. Call with (dict "root" $ "component" "query" "values" .Values.query), plus optional
"env" (EnvVar YAML), "secretEnvFrom" (a Secret name), "volumeMounts" and "volumes" (YAML lists),
"withoutNats" (true: no NATS_URL, for the controller) and "automountToken" (true: mount the ServiceAccount
token, for the controller, the one service that calls the Kubernetes API).
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
  automountServiceAccountToken: {{ if .automountToken }}true{{ else }}false{{ end }}
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
        {{- if not .withoutNats }}
        {{- include "conexus.natsUrlEnv" $root | nindent 8 }}
        {{- end }}
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
{{ include "conexus.healthConfigData" . }}
{{- end }}

{{/* The health server's variables: the `health` port (8081) of the pod template, on every interface. */}}
{{- define "conexus.healthConfigData" -}}
CONEXUS_HEALTH_PORT: "8081"
CONEXUS_HEALTH_HOST: 0.0.0.0
{{- end }}
