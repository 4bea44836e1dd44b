{{/* Chart name, overridable. */}}
{{- define "dbguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every resource name: fullnameOverride, else <release>[-<chart>]. */}}
{{- define "dbguard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "dbguard.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels selecting the operator pods (stable across upgrades). */}}
{{- define "dbguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dbguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* Labels on every object. */}}
{{- define "dbguard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "dbguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dbguard
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The operator's ServiceAccount name. */}}
{{- define "dbguard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dbguard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Operator image reference. */}}
{{- define "dbguard.operatorImage" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* dbguard tool image reference (DBGUARD_IMAGE). */}}
{{- define "dbguard.toolImage" -}}
{{- printf "%s:%s" .Values.dbguardImage.repository (default .Chart.AppVersion .Values.dbguardImage.tag) -}}
{{- end -}}

{{/* Name of the leader-election Lease. */}}
{{- define "dbguard.leaseName" -}}
{{- default (printf "%s-leader" (include "dbguard.fullname" .)) .Values.leaderElection.leaseName -}}
{{- end -}}

{{/*
The operator's rules on the namespaced resources it manages. Rendered into the ClusterRole (all
namespaces) or into one Role per watched namespace. Verbs and resources are listed one by one:
never "*". See docs/install.md for why each one is needed.
*/}}
{{- define "dbguard.operatorRules" -}}
# Exactly the calls the operator makes (operator/.../rbac/OperatorPermissions.java; the chart tests
# fail when the two differ). docs/install.md explains each rule.
- apiGroups: ["dbguard.io"]
  resources: ["databasemigrations"]
  verbs: ["list", "watch"]
- apiGroups: ["dbguard.io"]
  resources: ["databasemigrations/status"]
  verbs: ["update"]
- apiGroups: ["dbguard.io"]
  resources: ["databasemigrations/finalizers"]
  verbs: ["update"]
- apiGroups: ["dbguard.io"]
  resources: ["databasebackups"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: ["dbguard.io"]
  resources: ["databasebackups/status"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
{{- if .Values.rbac.secretsValidation }}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list", "watch"]
{{- end }}
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: {{ if .Values.rbac.volumeSnapshots }}["get", "list", "watch", "create", "delete"]{{ else }}["list", "watch"]{{ end }}
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments/scale", "statefulsets/scale"]
  verbs: ["get", "update", "patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- if .Values.rbac.volumeSnapshots }}
- apiGroups: ["snapshot.storage.k8s.io"]
  resources: ["volumesnapshots"]
  verbs: ["get", "create", "delete"]
{{- end }}
{{- end -}}
