{{/* The chart's name. */}}
{{- define "microchat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The operator's name: <release>-operator. */}}
{{- define "microchat.operatorName" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* chart: name-version, as Helm labels want it. */}}
{{- define "microchat.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on everything the chart makes. */}}
{{- define "microchat.labels" -}}
helm.sh/chart: {{ include "microchat.chart" . }}
{{ include "microchat.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: microchat
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of the operator pods. */}}
{{- define "microchat.selectorLabels" -}}
app.kubernetes.io/name: microchat-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator's ServiceAccount name. */}}
{{- define "microchat.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "microchat.operatorName" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference: registry + repository + (tag or appVersion). */}}
{{- define "microchat.image" -}}
{{- $root := index . 0 }}{{- $image := index . 1 }}
{{- printf "%s%s:%s" $root.Values.images.registry $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* The names of image pull secrets, comma-separated: the operator's default for every MicroChat's pods. */}}
{{- define "microchat.pullSecretNames" -}}
{{- $names := list }}{{- range . }}{{- $names = append $names .name }}{{- end }}{{- join "," $names }}
{{- end }}

{{/* Labels as k=v,k=v, sorted. */}}
{{- define "microchat.labelList" -}}
{{- $pairs := list }}{{- range $k, $v := . }}{{- $pairs = append $pairs (printf "%s=%s" $k $v) }}{{- end }}{{- join "," $pairs }}
{{- end }}
