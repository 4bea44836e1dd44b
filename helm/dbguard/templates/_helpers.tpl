{{- define "dbguard.name" -}}dbguard-operator{{- end -}}
{{- define "dbguard.labels" -}}
app.kubernetes.io/name: {{ include "dbguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
{{- define "dbguard.selector" -}}
app.kubernetes.io/name: {{ include "dbguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
