{{/*
The chart name, or nameOverride.
*/}}
{{- define "caravan.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name prefix of every resource: fullnameOverride, else <release>-<name> (just <release> when it already
contains the name). Truncated to 63 characters, the limit of DNS labels.
*/}}
{{- define "caravan.fullname" -}}
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

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "caravan.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource. helm.sh/chart and the version change on upgrades, so they are never in selectors.
*/}}
{{- define "caravan.labels" -}}
helm.sh/chart: {{ include "caravan.chart" . }}
{{ include "caravan.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: caravan
{{- end }}

{{/*
Selector labels: stable over upgrades. Each workload adds app.kubernetes.io/component (and a worker its queue).
*/}}
{{- define "caravan.selectorLabels" -}}
app.kubernetes.io/name: {{ include "caravan.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The ServiceAccount of the pods.
*/}}
{{- define "caravan.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "caravan.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image: the tag defaults to the appVersion, with "-embedded" in demo mode (an image built with the embedded stack).
*/}}
{{- define "caravan.image" -}}
{{- $tag := .Values.image.tag }}
{{- if not $tag }}
{{- $tag = ternary (printf "%s-embedded" .Chart.AppVersion) .Chart.AppVersion .Values.demo }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{/*
Name of the routes ConfigMap.
*/}}
{{- define "caravan.routesConfigMapName" -}}
{{- include "caravan.componentName" (dict "root" . "suffix" "routes") }}
{{- end }}

{{/*
The routes ConfigMap's data: every files/routes/*.yaml of the chart, then extraRoutes. The files are read with
.Files.Get and never passed through tpl, so Camel's {{...}} placeholders reach the pods as they are. The same text
is the ConfigMap's data and the input of the checksum/routes pod annotation.
*/}}
{{- define "caravan.routesData" -}}
{{- $data := dict }}
{{- range $path, $_ := .Files.Glob "files/routes/*.yaml" }}
{{- $_ := set $data (base $path) ($.Files.Get $path) }}
{{- end }}
{{- range $file, $content := .Values.extraRoutes }}
{{- if hasKey $data $file }}
{{- fail (printf "extraRoutes: %s is already one of the chart's route files; give it another name" $file) }}
{{- end }}
{{- $_ := set $data $file $content }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/*
Name of one of the release's resources: <fullname>-<suffix>, at most 63 characters (the full name is shortened, not
the suffix, so names stay apart). Call with
(dict "root" $ "suffix" <suffix>).
*/}}
{{- define "caravan.componentName" -}}
{{- $suffix := printf "-%s" .suffix | trunc 63 }}
{{- $prefix := include "caravan.fullname" .root | trunc (int (sub 63 (len $suffix))) | trimSuffix "-" }}
{{- printf "%s%s" $prefix $suffix | trimSuffix "-" }}
{{- end }}

{{/*
A worker's short name: its queue without the "caravan-" prefix (caravan-transcode -> transcode).
*/}}
{{- define "caravan.workerShortName" -}}
{{- trimPrefix "caravan-" . }}
{{- end }}

{{/*
Name of a worker Deployment (and of its ScaledObject and PodDisruptionBudget): <fullname>-worker-<short name>, the
full name shortened first so that two workers never share a name. Call with (dict "root" $ "queue" <queue name>).
*/}}
{{- define "caravan.workerName" -}}
{{- include "caravan.componentName" (dict "root" .root "suffix" (printf "worker-%s" (include "caravan.workerShortName" .queue))) }}
{{- end }}

{{/*
The labels that set a worker's pods apart from the other workers'. Call with the queue name.
*/}}
{{- define "caravan.workerComponentLabels" -}}
app.kubernetes.io/component: worker
caravan.dev/queue: {{ . }}
{{- end }}

{{/*
Whether the api, the workers, the HPA and the ScaledObjects are rendered (never in demo mode).
*/}}
{{- define "caravan.apiEnabled" -}}
{{- if and (not .Values.demo) .Values.api.enabled }}true{{ end }}
{{- end }}

{{- define "caravan.workersEnabled" -}}
{{- if and (not .Values.demo) .Values.worker.enabled }}true{{ end }}
{{- end }}

{{/*
The component label of the pods the API Service selects: "all" in demo mode, else "api".
*/}}
{{- define "caravan.serviceComponent" -}}
{{- ternary "all" "api" .Values.demo }}
{{- end }}

{{/*
The pod template shared by every Deployment. Call with
(dict "root" $ "role" "api|worker|all" "componentLabels" <yaml> "resources" <map> "queue" <queue> "concurrency" <n>),
where componentLabels are the labels that, with caravan.selectorLabels, make the Deployment's selector.
*/}}
{{- define "caravan.podTemplate" -}}
{{- $root := .root -}}
{{- $values := $root.Values -}}
metadata:
  labels:
    {{- include "caravan.labels" $root | nindent 4 }}
    {{- .componentLabels | nindent 4 }}
    {{- with $values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/routes: {{ include "caravan.routesData" $root | sha256sum }}
    {{- with $values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "caravan.serviceAccountName" $root }}
  automountServiceAccountToken: {{ $values.automountServiceAccountToken }}
  {{- with $values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
  {{- with $values.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: caravan
      image: {{ include "caravan.image" $root | quote }}
      imagePullPolicy: {{ $values.image.pullPolicy }}
      {{- with $values.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
      env:
        - name: CARAVAN_ROLE
          value: {{ .role | quote }}
        {{- if eq .role "worker" }}
        - name: CARAVAN_WORKER_QUEUES
          value: {{ .queue | quote }}
        - name: CARAVAN_WORKER_CONCURRENCY
          value: {{ .concurrency | quote }}
        {{- with $values.worker.jvmOptions }}
        - name: JAVA_TOOL_OPTIONS
          value: {{ . | quote }}
        {{- end }}
        {{- end }}
        - name: CARAVAN_EMBEDDED_ENABLED
          value: {{ ternary "true" "false" $values.demo | quote }}
        - name: CARAVAN_DATA_DIR
          value: /data
        - name: CAMEL_MAIN_ROUTESINCLUDEPATTERN
          value: "file:/etc/caravan/routes/*.yaml"
        - name: CARAVAN_AWS_REGION
          value: {{ $values.config.awsRegion | quote }}
        {{- if and $values.config.awsEndpoint (not $values.demo) }}
        - name: CARAVAN_AWS_ENDPOINT
          value: {{ $values.config.awsEndpoint | quote }}
        {{- end }}
        {{- if and $values.config.sttEndpoint (not $values.demo) }}
        - name: CARAVAN_STT_ENDPOINT
          value: {{ $values.config.sttEndpoint | quote }}
        {{- end }}
        - name: CARAVAN_AWS_PROVISION
          value: {{ ternary "true" "false" (or $values.demo $values.config.provision) | quote }}
        - name: CARAVAN_STORAGE_BUCKET
          value: {{ $values.config.bucket | quote }}
        - name: CARAVAN_MESSAGING_TOPIC
          value: {{ $values.config.topic | quote }}
        - name: CARAVAN_TABLES_JOBS
          value: {{ $values.config.jobsTable | quote }}
        - name: CARAVAN_TABLES_ASSETS
          value: {{ $values.config.assetsTable | quote }}
        - name: CARAVAN_TABLES_API_KEYS
          value: {{ $values.config.apiKeysTable | quote }}
        - name: CARAVAN_TABLES_PROJECTS
          value: {{ $values.config.projectsTable | quote }}
        - name: CARAVAN_TABLES_LIBRARY
          value: {{ $values.config.libraryTable | quote }}
        - name: CARAVAN_TABLES_UPLOADS
          value: {{ $values.config.uploadsTable | quote }}
        - name: CARAVAN_LIBRARY_ENGINE
          value: {{ $values.config.libraryEngine | quote }}
        - name: CARAVAN_LIBRARY_OPENSEARCH_INDEX
          value: {{ $values.config.libraryOpensearchIndex | quote }}
        {{- with $values.config.libraryOpensearchEndpoint }}
        - name: CARAVAN_LIBRARY_OPENSEARCH_ENDPOINT
          value: {{ . | quote }}
        {{- end }}
        {{- with $values.config.libraryOpensearchAwsRegion }}
        - name: CARAVAN_LIBRARY_OPENSEARCH_AWS_REGION
          value: {{ . | quote }}
        {{- end }}
        {{- if and $values.security.issuerUri (not $values.demo) }}
        - name: CARAVAN_SECURITY_ISSUER_URI
          value: {{ $values.security.issuerUri | quote }}
        {{- end }}
        - name: CARAVAN_SECURITY_AUDIENCE
          value: {{ $values.security.audience | quote }}
        - name: CARAVAN_SECURITY_ROLES_CLAIM
          value: {{ $values.security.rolesClaim | quote }}
        - name: CARAVAN_SECURITY_ADMIN_ROLE
          value: {{ $values.security.adminRole | quote }}
        {{- with $values.security.requiredScopes }}
        - name: CARAVAN_SECURITY_REQUIRED_SCOPES
          value: {{ join "," . | quote }}
        {{- end }}
        {{- with $values.security.corsOrigins }}
        - name: CARAVAN_SECURITY_CORS_ORIGINS
          value: {{ join "," . | quote }}
        {{- end }}
        - name: CARAVAN_CONSOLE_CLIENT_ID
          value: {{ $values.security.consoleClientId | quote }}
        - name: CARAVAN_CONSOLE_SCOPES
          value: {{ $values.security.consoleScopes | quote }}
        {{- with $values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if or $values.existingSecret $values.extraEnvFrom }}
      envFrom:
        {{- with $values.existingSecret }}
        - secretRef:
            name: {{ . }}
        {{- end }}
        {{- with $values.extraEnvFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /actuator/health/liveness
          port: http
        periodSeconds: {{ $values.startupProbe.periodSeconds }}
        failureThreshold: {{ $values.startupProbe.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /actuator/health/liveness
          port: http
        periodSeconds: {{ $values.livenessProbe.periodSeconds }}
        timeoutSeconds: {{ $values.livenessProbe.timeoutSeconds }}
        failureThreshold: {{ $values.livenessProbe.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /actuator/health/readiness
          port: http
        periodSeconds: {{ $values.readinessProbe.periodSeconds }}
        timeoutSeconds: {{ $values.readinessProbe.timeoutSeconds }}
        failureThreshold: {{ $values.readinessProbe.failureThreshold }}
      resources:
        {{- toYaml (default (dict) .resources) | nindent 8 }}
      volumeMounts:
        - name: routes
          mountPath: /etc/caravan/routes
          readOnly: true
        - name: tmp
          mountPath: /tmp
        - name: data
          mountPath: /data
  volumes:
    - name: routes
      configMap:
        name: {{ include "caravan.routesConfigMapName" $root }}
    - name: tmp
      {{- if $values.tmpSizeLimit }}
      emptyDir:
        sizeLimit: {{ $values.tmpSizeLimit }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- if and $values.demo $values.demoPersistence.enabled }}
    - name: data
      persistentVolumeClaim:
        claimName: {{ default (printf "%s-data" (include "caravan.fullname" $root)) $values.demoPersistence.existingClaim }}
    {{- else }}
    - name: data
      emptyDir: {}
    {{- end }}
  {{- with $values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
