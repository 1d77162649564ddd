{{/* What the controller's pod adds to the shared pod template: its identity, the tenants' tokens, the gateway's CA. */}}

{{/* The controller's EnvVars from the downward API: the namespace it watches and its leader-election identity. */}}
{{- define "conexus.controllerEnv" -}}
- name: CONEXUS_WATCH_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: CONEXUS_CONTROLLER_IDENTITY
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}

{{/* The controller's volumes: one projected volume with each tenant's token at <tenant>/token, and the gateway's CA (that key only, never tls.key). */}}
{{- define "conexus.controllerVolumes" -}}
- name: tenants
  projected:
    defaultMode: 0440
    sources:
      {{- range .Values.controller.tenants }}
      - secret:
          name: {{ .secretName }}
          items:
            - key: {{ default "token" .key }}
              path: {{ .name }}/token
      {{- end }}
{{- with include "conexus.controllerCaSecret" . }}
- name: gateway-ca
  secret:
    secretName: {{ . }}
    defaultMode: 0440
    items:
      - key: {{ $.Values.controller.gateway.caSecret.key }}
        path: ca.crt
{{- end }}
{{- end }}

{{/* Where the controller's volumes are mounted: directories, not subPath, so rotated tokens and CAs reach the running pod. */}}
{{- define "conexus.controllerVolumeMounts" -}}
- name: tenants
  mountPath: /etc/conexus/tenants
  readOnly: true
{{- if include "conexus.controllerCaSecret" . }}
- name: gateway-ca
  mountPath: /etc/conexus/gateway-ca
  readOnly: true
{{- end }}
{{- end }}
