{{/*
Names. The release's full name is the prefix of every object; cluster-scoped objects (ClusterRole,
ValidatingWebhookConfiguration, ValidatingAdmissionPolicy) carry it too, so two releases never collide.
*/}}
{{- define "troxileia.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "troxileia.fullname" -}}
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

{{- define "troxileia.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "troxileia.selectorLabels" -}}
app.kubernetes.io/name: {{ include "troxileia.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "troxileia.labels" -}}
helm.sh/chart: {{ include "troxileia.chart" . }}
{{ include "troxileia.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: troxileia
{{- end }}

{{- define "troxileia.serviceAccountName" -}}
{{- default (include "troxileia.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* The Service the apiserver dials, and the names on the serving certificate. */}}
{{- define "troxileia.serviceName" -}}
{{- include "troxileia.fullname" . }}
{{- end }}

{{- define "troxileia.dnsNames" -}}
{{- $svc := include "troxileia.serviceName" . -}}
{{- list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) | toJson }}
{{- end }}

{{/* The TLS Secret the pods mount, in every certificate mode. */}}
{{- define "troxileia.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "secret" }}
{{- .Values.certificates.secret.name }}
{{- else }}
{{- printf "%s-webhook-tls" (include "troxileia.fullname" .) }}
{{- end }}
{{- end }}

{{- define "troxileia.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Seconds in a duration text as the binary reads it (500ms, 3s, 5m, 1h30m), rounded up.
values.schema.json admits only texts this parses.
*/}}
{{- define "troxileia.durationSeconds" -}}
{{- $total := 0.0 }}
{{- range $part := regexFindAll "[0-9]+(\\.[0-9]+)?(ms|h|m|s)" . -1 }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $part | float64 }}
{{- $unit := trimPrefix (regexFind "^[0-9]+(\\.[0-9]+)?" $part) $part }}
{{- if eq $unit "h" }}{{ $total = addf $total (mulf $number 3600) }}
{{- else if eq $unit "m" }}{{ $total = addf $total (mulf $number 60) }}
{{- else if eq $unit "s" }}{{ $total = addf $total $number }}
{{- else }}{{ $total = addf $total (divf $number 1000) }}
{{- end }}
{{- end }}
{{- ceil $total | int }}
{{- end }}

{{/*
The shutdown timings the chart pins (DESIGN.md defaults of --shutdown-delay and --shutdown-grace),
so the grace period below is computed from the values the binary really uses.
*/}}
{{- define "troxileia.shutdownDelay" -}}5s{{- end }}
{{- define "troxileia.shutdownGrace" -}}10s{{- end }}

{{/*
What the release runs. The binary serves the webhook alone when it has no --tap-host and no --dry-run
(Sources/troxileia/Run/ClusterRuntime.swift): no reconciler, no Lease, no status ConfigMap, no Events.
The chart renders only what the mode needs, so the default values (no tap.host) install the webhook
and the admission policy alone, with a ServiceAccount that may only read nodes.
  managesTap  tap.host is set: the leader pushes over SSH (credentials and a host key check needed).
  reconciles  managesTap, or reconciler.dryRun: plans are computed and recorded (status, Events, Lease).
  watchesPods reconciles with sensorPods.apps: the pod reflector runs (pod read access needed).
Each is "true" or empty, for `if`.
*/}}
{{- define "troxileia.managesTap" -}}
{{- if .Values.tap.host }}true{{ end }}
{{- end }}

{{- define "troxileia.reconciles" -}}
{{- if or .Values.tap.host .Values.reconciler.dryRun }}true{{ end }}
{{- end }}

{{- define "troxileia.watchesPods" -}}
{{- if and (include "troxileia.reconciles" .) (include "troxileia.sensorApps" .) }}true{{ end }}
{{- end }}

{{/*
sensorPods.apps as the binary's --sensor-apps text: a list ({zeek,suricata} on the command line) or a
comma-separated string (what `--set sensorPods.apps=zeek` and `--set-literal sensorPods.apps=zeek,suricata`
give); both render the same "zeek,suricata". values.schema.json admits only label values.
*/}}
{{- define "troxileia.sensorApps" -}}
{{- $apps := .Values.sensorPods.apps }}
{{- if kindIs "string" $apps }}{{ $apps = splitList "," $apps }}{{ end }}
{{- $clean := list }}
{{- range $app := $apps }}{{ with trim (toString $app) }}{{ $clean = append $clean . }}{{ end }}{{ end }}
{{- join "," $clean }}
{{- end }}

{{/*
shutdown delay + shutdown grace + 5 s slack, plus a push in flight (tap.timeouts.push) when the tap is
managed: only an SSH session to the tap can take that long.
*/}}
{{- define "troxileia.minimumGracePeriod" -}}
{{- $delay := include "troxileia.durationSeconds" (include "troxileia.shutdownDelay" .) | int }}
{{- $grace := include "troxileia.durationSeconds" (include "troxileia.shutdownGrace" .) | int }}
{{- $push := 0 }}
{{- if include "troxileia.managesTap" . }}
{{- $push = include "troxileia.durationSeconds" .Values.tap.timeouts.push | int }}
{{- end }}
{{- add $delay $grace $push 5 }}
{{- end }}

{{- define "troxileia.terminationGracePeriodSeconds" -}}
{{- $minimum := include "troxileia.minimumGracePeriod" . | int }}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- $minimum }}
{{- else if lt (int .Values.terminationGracePeriodSeconds) $minimum }}
{{- if include "troxileia.managesTap" . }}
{{- fail (printf "terminationGracePeriodSeconds %d is shorter than shutdown delay + shutdown grace + tap.timeouts.push + 5s = %d: a push in flight would be killed" (int .Values.terminationGracePeriodSeconds) $minimum) }}
{{- else }}
{{- fail (printf "terminationGracePeriodSeconds %d is shorter than shutdown delay + shutdown grace + 5s = %d: requests in flight would be cut off" (int .Values.terminationGracePeriodSeconds) $minimum) }}
{{- end }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds | int }}
{{- end }}
{{- end }}

{{/*
The tap credentials as files: a dict of file name → key in the Secret, only for what is configured
and only when the tap is managed, so the binary is never pointed at a file that does not exist.
File `key-passphrase` is read by --tap-key-passphrase-file (TROXILEIA_TAP_KEY_PASSPHRASE_FILE), and so on.
*/}}
{{- define "troxileia.tapSecretName" -}}
{{- default (printf "%s-tap" (include "troxileia.fullname" .)) .Values.tap.existingSecret }}
{{- end }}

{{- define "troxileia.tapFiles" -}}
{{- $tap := .Values.tap }}
{{- $files := dict }}
{{- if not (include "troxileia.managesTap" .) }}
{{- else if $tap.existingSecret }}
{{- with $tap.existingSecretKeys.password }}{{ $_ := set $files "password" . }}{{ end }}
{{- with $tap.existingSecretKeys.privateKey }}{{ $_ := set $files "key" . }}{{ end }}
{{- with $tap.existingSecretKeys.privateKeyPassphrase }}{{ $_ := set $files "key-passphrase" . }}{{ end }}
{{- with $tap.existingSecretKeys.enablePassword }}{{ $_ := set $files "enable-password" . }}{{ end }}
{{- else }}
{{- if $tap.password }}{{ $_ := set $files "password" "password" }}{{ end }}
{{- if $tap.privateKey }}{{ $_ := set $files "key" "private-key" }}{{ end }}
{{- if $tap.privateKeyPassphrase }}{{ $_ := set $files "key-passphrase" "private-key-passphrase" }}{{ end }}
{{- if $tap.enablePassword }}{{ $_ := set $files "enable-password" "enable-password" }}{{ end }}
{{- end }}
{{- toJson $files }}
{{- end }}

{{/*
Rules across values that a JSON schema cannot word clearly. Included by the Deployment. Every problem
is collected and reported in one failure, so an install reveals all of them at once, not one per try.
*/}}
{{- define "troxileia.validateValues" -}}
{{- $tap := .Values.tap }}
{{- $problems := list }}
{{- /* Secrets are text. --set reads 1234 as a number and true as a boolean (and splits at commas), so
the schema lets numbers and booleans through only for this message: the chart does not guess the text. */}}
{{- range $name := list "password" "privateKey" "privateKeyPassphrase" "enablePassword" }}
{{- $value := index $tap $name }}
{{- if not (or (kindIs "string" $value) (kindIs "invalid" $value)) }}
{{- $kind := ternary "boolean" "number" (kindIs "bool" $value) }}
{{- $problems = append $problems (printf "tap.%s was read as a %s, not as text (--set turns 1234 into a number and true into a boolean, and splits at commas): pass it with --set-file tap.%s=./FILE (preferred), --set-string or --set-literal" $name $kind $name) }}
{{- end }}
{{- end }}
{{- if include "troxileia.managesTap" . }}
{{- $files := include "troxileia.tapFiles" . | fromJson }}
{{- if not (or (hasKey $files "password") (hasKey $files "key")) }}
{{- $problems = append $problems "tap credentials are required: set tap.password (--set-file tap.password=./tap-password), tap.privateKey (--set-file tap.privateKey=./id_ed25519), or tap.existingSecret with tap.existingSecretKeys.password or .privateKey" }}
{{- end }}
{{- if and $tap.existingSecret (or $tap.password $tap.privateKey $tap.privateKeyPassphrase $tap.enablePassword) }}
{{- $problems = append $problems "tap.existingSecret is set: leave tap.password, tap.privateKey, tap.privateKeyPassphrase and tap.enablePassword empty (they would be ignored)" }}
{{- end }}
{{- $hostKeyChecks := 0 }}
{{- if $tap.knownHosts }}{{ $hostKeyChecks = add1 $hostKeyChecks }}{{ end }}
{{- if $tap.hostKeySHA256 }}{{ $hostKeyChecks = add1 $hostKeyChecks }}{{ end }}
{{- if $tap.insecureSkipHostKeyVerification }}{{ $hostKeyChecks = add1 $hostKeyChecks }}{{ end }}
{{- if ne $hostKeyChecks 1 }}
{{- $problems = append $problems (printf "set exactly one tap host key check (%d set): tap.knownHosts (--set-file tap.knownHosts=./gigavue.known_hosts, a known_hosts line), tap.hostKeySHA256 (SHA256:… fingerprint), or tap.insecureSkipHostKeyVerification=true" $hostKeyChecks) }}
{{- end }}
{{- else }}
{{- /* Without tap.host these would be dropped silently; the binary refuses them the same way. */}}
{{- $stray := list }}
{{- range $name := list "password" "privateKey" "privateKeyPassphrase" "enablePassword" "existingSecret" "knownHosts" "hostKeySHA256" "insecureSkipHostKeyVerification" }}
{{- if index $tap $name }}{{ $stray = append $stray (printf "tap.%s" $name) }}{{ end }}
{{- end }}
{{- if $stray }}
{{- $problems = append $problems (printf "%s set but tap.host is not: set tap.host to manage the tap, or leave them out for a webhook-only install" (join ", " $stray)) }}
{{- end }}
{{- end }}
{{- if and (include "troxileia.reconciles" .) (not .Values.leaderElection.enabled) (gt (int .Values.replicaCount) 1) }}
{{- $problems = append $problems (printf "leaderElection.enabled=false with replicaCount %d: every replica would push to the tap (and write troxileia-status) on its own; set replicaCount=1, or keep leaderElection.enabled=true" (int .Values.replicaCount)) }}
{{- end }}
{{- if and (eq .Values.certificates.mode "secret") (not (and .Values.certificates.secret.name .Values.certificates.secret.caBundle)) }}
{{- $problems = append $problems "certificates.mode=secret needs certificates.secret.name (a TLS Secret in the release namespace) and certificates.secret.caBundle (base64 PEM CA, e.g. certs/make-certs.sh --ca-bundle-only)" }}
{{- end }}
{{- if $problems }}
{{- fail (printf "%d problem(s) in the values:\n  - %s" (len $problems) (join "\n  - " $problems)) }}
{{- end }}
{{- end }}

{{/* validationActions of the policy binding: from the values, else following webhook.mode. */}}
{{- define "troxileia.validationActions" -}}
{{- if .Values.admissionPolicy.validationActions }}
{{- toJson .Values.admissionPolicy.validationActions }}
{{- else if eq .Values.webhook.mode "warn" }}
{{- toJson (list "Warn") }}
{{- else }}
{{- toJson (list "Deny") }}
{{- end }}
{{- end }}

{{/*
CEL. Label keys are qualified names ([A-Za-z0-9._/-], checked by values.schema.json), so they can
sit inside single-quoted CEL strings as they are.

Presence tests never select through a missing field: `has(x.labels)` before `'k' in x.labels`,
and `oldObject != null && has(oldObject.metadata)` before anything of oldObject (null on CREATE).
A CEL error fails the request (failurePolicy Fail): ../shared/fixtures/kube/admission/kubectl-failure-modes.txt.
*/}}
{{- define "troxileia.cel.newHas" -}}
has(object.metadata.labels) && '{{ . }}' in object.metadata.labels
{{- end }}
{{- define "troxileia.cel.oldHas" -}}
oldObject != null && has(oldObject.metadata) && has(oldObject.metadata.labels) && '{{ . }}' in oldObject.metadata.labels
{{- end }}
{{/* The label's value, or '<none>' when absent: label values never hold '<'. */}}
{{- define "troxileia.cel.newValue" -}}
({{ include "troxileia.cel.newHas" . }} ? object.metadata.labels['{{ . }}'] : '<none>')
{{- end }}
{{- define "troxileia.cel.oldValue" -}}
({{ include "troxileia.cel.oldHas" . }} ? oldObject.metadata.labels['{{ . }}'] : '<none>')
{{- end }}

{{/*
The webhook's matchCondition: the request sets, changes or removes one of the two contract labels
(on CREATE: carries one). Everything else — kubelet heartbeats, status, taints, annotations, other
labels — never reaches the webhook.
*/}}
{{- define "troxileia.cel.contractLabelsChange" -}}
{{ include "troxileia.cel.newValue" .Values.labels.port }} != {{ include "troxileia.cel.oldValue" .Values.labels.port }} || {{ include "troxileia.cel.newValue" .Values.labels.sensor }} != {{ include "troxileia.cel.oldValue" .Values.labels.sensor }}
{{- end }}

{{/* Kubelet registering its node: the webhook admits it with warnings, so the policy must not refuse it. */}}
{{- define "troxileia.cel.notKubeletCreate" -}}
!(request.operation == 'CREATE' && has(request.userInfo.groups) && 'system:nodes' in request.userInfo.groups)
{{- end }}

{{/* The strict grammar of gigavue-cli.md "Port identifiers", label form: box 1–255, slot 1–32, g/x/q/c, port 1–128, breakout x1–x4 on q/c. */}}
{{- define "troxileia.cel.portRegex" -}}
^([1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])_([1-9]|[12][0-9]|3[0-2])_([gx]([1-9][0-9]?|1[01][0-9]|12[0-8])|[qc]([1-9][0-9]?|1[01][0-9]|12[0-8])(x[1-4])?)$
{{- end }}
{{/* The same shape with leading zeros allowed: its values become valid once the zeros go. */}}
{{- define "troxileia.cel.zeroPaddedPortRegex" -}}
^0*[1-9][0-9]{0,2}_0*[1-9][0-9]?_[gxqc]0*[1-9][0-9]{0,2}(x0*[1-9])?$
{{- end }}
{{/* Indexes 0–31: TroxileiaCore reads at most 32 characters of a port value. */}}
{{- define "troxileia.cel.indexes" -}}
[{{ until 32 | join ", " }}]
{{- end }}
