{{/* The instance code, required: it names topics, groups, the Kafka user and the databases. */}}
{{- define "dotpha.code" -}}
{{- required "instance.code is required (the organisation file's instance.code, e.g. hn)" .Values.instance.code -}}
{{- end -}}

{{- define "dotpha.fullname" -}}
{{- printf "dotpha-%s" (include "dotpha.code" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; with dotpha.selector beside them, use dotpha.common (no duplicate key). */}}
{{- define "dotpha.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "dotpha.common" . }}
{{- end -}}

{{- define "dotpha.common" -}}
app.kubernetes.io/part-of: dotpha
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
dotpha.vn/instance: {{ include "dotpha.code" . }}
{{- end -}}

{{/* Selector labels of one component (a service name, mongodb, ...): call with (list $ "name"). */}}
{{- define "dotpha.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ index . 1 }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- end -}}

{{- define "dotpha.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The namespace of the Strimzi cluster and of this instance's KafkaTopics and KafkaUsers. */}}
{{- define "dotpha.kafkaNamespace" -}}
{{- default .Release.Namespace .Values.kafka.strimzi.namespace -}}
{{- end -}}

{{- define "dotpha.kafkaBootstrap" -}}
{{- if .Values.kafka.bootstrapServers -}}
{{- .Values.kafka.bootstrapServers -}}
{{- else if .Values.kafka.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap.%s.svc:%d" .Values.kafka.strimzi.clusterName (include "dotpha.kafkaNamespace" .) (ternary 9093 9092 .Values.kafka.tls.enabled | int) -}}
{{- else -}}
{{- fail "kafka.bootstrapServers is required when kafka.strimzi.enabled is false" -}}
{{- end -}}
{{- end -}}

{{- define "dotpha.kafkaPasswordSecret" -}}
{{- default (include "dotpha.code" .) .Values.kafka.sasl.passwordSecret -}}
{{- end -}}

{{- define "dotpha.kafkaCaSecret" -}}
{{- default (printf "%s-cluster-ca-cert" .Values.kafka.strimzi.clusterName) .Values.kafka.tls.caSecret -}}
{{- end -}}

{{- define "dotpha.mongoUrlKey" -}}
{{- ternary "url" .Values.mongodb.external.urlKey .Values.mongodb.statefulSet.enabled -}}
{{- end -}}

{{- define "dotpha.mongoSecret" -}}
{{- default (printf "%s-mongodb" (include "dotpha.fullname" .)) .Values.mongodb.statefulSet.existingSecret -}}
{{- end -}}

{{- define "dotpha.mongoUrlSecret" -}}
{{- if and .Values.mongodb.statefulSet.enabled .Values.mongodb.statefulSet.existingSecret -}}
{{- .Values.mongodb.statefulSet.existingSecret -}}
{{- else if .Values.mongodb.statefulSet.enabled -}}
{{- printf "%s-mongodb-url" (include "dotpha.fullname" .) -}}
{{- else -}}
{{- required "mongodb.external.urlSecret is required when mongodb.statefulSet.enabled is false" .Values.mongodb.external.urlSecret -}}
{{- end -}}
{{- end -}}

{{/* Container security every container of the chart runs with: non-root, read-only root file system. */}}
{{- define "dotpha.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The ConfigMap holding the organisation file (key org.json): the operators' or the chart's. */}}
{{- define "dotpha.orgConfigMap" -}}
{{- default (printf "%s-instance" (include "dotpha.fullname" .)) .Values.organisation.existingConfigMap -}}
{{- end -}}

{{/* A pod's security context (services and gateway): non-root, the values' user and groups, the runtime's seccomp profile. Call with the root context. */}}
{{- define "dotpha.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.podSecurity.runAsUser }}
  runAsGroup: {{ .Values.podSecurity.runAsGroup }}
  fsGroup: {{ .Values.podSecurity.fsGroup }}
  seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{/* The identity provider's settings every process that checks tokens needs. Call with the root context. */}}
{{- define "dotpha.oidcEnv" -}}
- { name: DOTPHA_OIDC_ISSUER, value: {{ required "oidc.issuer is required" .Values.oidc.issuer | quote }} }
- { name: DOTPHA_OIDC_AUDIENCE, value: {{ required "oidc.audience is required" .Values.oidc.audience | quote }} }
- { name: DOTPHA_OIDC_JWKS_URL, value: {{ required "oidc.jwksUrl is required" .Values.oidc.jwksUrl | quote }} }
{{- end -}}
