{{/*
Names. The fullname is the release name when it already contains the chart name, otherwise
"<release>-<chart>", cut to 63 characters (a DNS label).
*/}}
{{- define "vault-injector.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vault-injector.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "vault-injector.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vault-injector.instanceLabels" -}}
app.kubernetes.io/name: {{ include "vault-injector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vault-injector.selectorLabels" -}}
{{ include "vault-injector.instanceLabels" . }}
app.kubernetes.io/component: webhook
{{- end -}}

{{- define "vault-injector.commonLabels" -}}
helm.sh/chart: {{ include "vault-injector.chart" . }}
{{ include "vault-injector.instanceLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vault-injector
{{- end -}}

{{- define "vault-injector.labels" -}}
{{ include "vault-injector.commonLabels" . }}
app.kubernetes.io/component: webhook
{{- end -}}

{{- define "vault-injector.tenantsLabels" -}}
{{ include "vault-injector.commonLabels" . }}
app.kubernetes.io/component: tenants-sync
{{- end -}}

{{- define "vault-injector.tenantsName" -}}
{{- printf "%s-tenants" (include "vault-injector.fullname" .) | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "vault-injector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vault-injector.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The MutatingWebhookConfiguration is cluster-scoped: its name carries the namespace too, unless
the fullname already is or ends with it (release "vi" in namespace "vault-injector"). */}}
{{- define "vault-injector.webhookConfigurationName" -}}
{{- $fullname := include "vault-injector.fullname" . -}}
{{- if or (eq $fullname .Release.Namespace) (hasSuffix (printf "-%s" .Release.Namespace) $fullname) -}}
{{- $fullname -}}
{{- else -}}
{{- printf "%s-%s" $fullname .Release.Namespace | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "vault-injector.webhookName" -}}
{{- default (printf "%s.%s.svc" (include "vault-injector.fullname" .) .Release.Namespace) .Values.webhook.name -}}
{{- end -}}

{{/* Secret that the webhook's auto TLS leader writes its CA and certificate into (auto mode).
The webhook's name for it is fixed (src/tls/auto.ts DEFAULT_CERT_SECRET_NAME, as vault-k8s), so one
release per namespace. */}}
{{- define "vault-injector.autoTlsSecretName" -}}
vault-injector-certs
{{- end -}}

{{/* The Lease the replicas elect the auto-TLS leader with (src/server/main.ts LEADER_LEASE_NAME). */}}
{{- define "vault-injector.leaseName" -}}
vault-injector-leader
{{- end -}}

{{/* Secret holding tls.crt/tls.key when the webhook reads its certificate from files. */}}
{{- define "vault-injector.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "certManager" -}}
{{- printf "%s-serving" (include "vault-injector.fullname" .) -}}
{{- else if eq .Values.certificates.mode "secret" -}}
{{- required "certificates.secret.name is required when certificates.mode is secret" .Values.certificates.secret.name -}}
{{- end -}}
{{- end -}}

{{- define "vault-injector.tlsHosts" -}}
{{- $svc := include "vault-injector.fullname" . -}}
{{- $hosts := list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.%s" $svc .Release.Namespace .Values.clusterDomain) -}}
{{- concat $hosts .Values.certificates.extraHosts | uniq | join "," -}}
{{- end -}}

{{- define "vault-injector.image" -}}
{{- $tag := default .root.Chart.AppVersion .image.tag -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Effective switches: the tenant profile turns tenancy on. */}}
{{- define "vault-injector.tenancyEnabled" -}}
{{- if or .Values.tenancy.enabled (eq .Values.profile "tenant") -}}true{{- end -}}
{{- end -}}

{{- define "vault-injector.tenantControllerEnabled" -}}
{{- if and (include "vault-injector.tenancyEnabled" .) .Values.tenancy.controller.enabled -}}true{{- end -}}
{{- end -}}

{{- define "vault-injector.tenancyConfigMapName" -}}
{{- default (printf "%s-tenancy" (include "vault-injector.fullname" .)) .Values.tenancy.existingConfigMap -}}
{{- end -}}

{{/* Leader election is only needed when several replicas share one auto-TLS certificate. */}}
{{- define "vault-injector.leaderElection" -}}
{{- if and (eq .Values.certificates.mode "auto") (gt (int .Values.replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/* Does the webhook talk to the Kubernetes API at all? Only for auto TLS. */}}
{{- define "vault-injector.needsApi" -}}
{{- if eq .Values.certificates.mode "auto" -}}true{{- end -}}
{{- end -}}

{{/* The pod and container security contexts: values.yaml holds the restricted defaults, users merge over them. */}}
{{- define "vault-injector.podSecurityContext" -}}
{{- toYaml .Values.securityContext.pod -}}
{{- end -}}

{{- define "vault-injector.containerSecurityContext" -}}
{{- toYaml .Values.securityContext.container -}}
{{- end -}}

{{/*
Tenancy policy of the tenant profile when tenancy.policy is empty: a namespace is a tenant, it may
log in only with the Vault role named after it and read only the secrets under its own name.
*/}}
{{- define "vault-injector.defaultTenancyPolicy" -}}
version: 1
tenants:
  include: ["*"]
defaults:
  roles: ["${namespace}"]
  paths:
    - path: "secret/data/${namespace}/*"
      capabilities: [read]
    - path: "database/creds/${namespace}-*"
      capabilities: [read]
  locked: all
vault:
  kvV2Mounts: [secret]
  authMount: {{ trimPrefix "auth/" .Values.vault.authPath | trimSuffix "/" | quote }}
{{- end -}}
