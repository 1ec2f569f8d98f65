// oracle: the template reference the project's engine is judged against. It renders
// each case with Go's own text/template (the Go this binary is built with: the Go
// that current Vault is built with) and consul-template's own function map, at the
// version hashicorp/vault pins (go.mod), sprig included under the sprig_ prefix.
//
// Dependencies (secret, secrets, pkiCert, and file from the machine's files) are resolved the way consul-template's
// runner does: execute, collect the missing dependencies, fetch each through its own
// dependency type (dependency.VaultReadQuery, VaultWriteQuery, VaultListQuery,
// VaultPKIQuery) from a Vault HTTP API on 127.0.0.1 that answers with the case's
// recorded responses, remember the results in a real template.Brain, and execute
// again until nothing new is missing. So templates see consul-template's own types
// (*dependency.Secret with json.Number, []string, dependency.PemEncoded).
//
// Input on stdin: a JSON array of cases; output: a JSON array of results, in order
// (the format of ../shared/tools/gotpl):
//
//	case:   {"name", "template", "data", "secrets": {"<path>": <Vault response>},
//	         "env": {"K": "V"}, "missingkey": "default"|"zero"|"error",
//	         "delims": ["[[", "]]"], "redact": true|false}
//	result: {"name", "ok", "output", "error"}
//
// -bench N adds ns_per_op (function map + parse + execute, what consul-template does
// on every render, with the brain already filled) and exec_ns_per_op (execute alone
// of a template parsed once), each averaged over N runs.
// -funcs prints the function map's names as a JSON array and exits.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"
	_ "unsafe" // go:linkname

	"github.com/hashicorp/consul-template/config"
	dep "github.com/hashicorp/consul-template/dependency"
	cttemplate "github.com/hashicorp/consul-template/template"
)

// funcMapInput has the layout of consul-template's template.funcMapInput at the
// pinned version: the function map is unexported, and it is the one thing the
// oracle must not re-implement. selfCheck proves the layout at start-up.
type funcMapInput struct {
	newTmpl          *template.Template
	brain            *cttemplate.Brain
	env              []string
	extFuncMap       map[string]interface{}
	functionDenylist []string
	sandboxPath      string
	destination      string
	used             *dep.Set
	missing          *dep.Set
	config           *config.Config
}

//go:linkname ctFuncMap github.com/hashicorp/consul-template/template.funcMap
func ctFuncMap(i *funcMapInput) template.FuncMap

// ctRedact is what Template.Execute does to an execution error: the values of the secrets the
// execution used become [redacted]. Cases ask for it with "redact": true (our agent redacts).
//
//go:linkname ctRedact github.com/hashicorp/consul-template/template.redactinator
func ctRedact(used *dep.Set, b *cttemplate.Brain, err error) error

type Case struct {
	Name       string                     `json:"name"`
	Template   string                     `json:"template"`
	Data       interface{}                `json:"data"`
	Secrets    map[string]json.RawMessage `json:"secrets"`
	Env        map[string]string          `json:"env"`
	MissingKey string                     `json:"missingkey"`
	Delims     []string                   `json:"delims"`
	Redact     bool                       `json:"redact"`
}

type Result struct {
	Name        string  `json:"name"`
	OK          bool    `json:"ok"`
	Output      string  `json:"output,omitempty"`
	Error       string  `json:"error,omitempty"`
	NsPerOp     float64 `json:"ns_per_op,omitempty"`
	ExecNsPerOp float64 `json:"exec_ns_per_op,omitempty"`
}

// fakeVault answers Vault's HTTP API from the current case's recorded responses.
type fakeVault struct {
	mu       sync.Mutex
	secrets  map[string]json.RawMessage
	notFound int
}

func (v *fakeVault) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/v1/")
	w.Header().Set("Content-Type", "application/json")
	// No mount information: consul-template then treats the path as KV v1 and
	// reads it as written, which is what the recorded responses are keyed by.
	if strings.HasPrefix(path, "sys/internal/ui/mounts/") {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errors":[]}`)
		return
	}
	query := r.URL.Query()
	query.Del("list")
	v.mu.Lock()
	body, ok := []byte(nil), false
	if len(query) > 0 {
		body, ok = v.secrets[path+"?"+query.Encode()]
	}
	if !ok {
		body, ok = v.secrets[path]
	}
	if !ok {
		v.notFound++
	}
	v.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errors":[]}`)
		return
	}
	_, _ = w.Write(body)
}

func (v *fakeVault) load(secrets map[string]json.RawMessage) {
	v.mu.Lock()
	v.secrets = secrets
	v.notFound = 0
	v.mu.Unlock()
}

func (v *fakeVault) misses() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.notFound
}

type oracle struct {
	vault   *fakeVault
	clients *dep.ClientSet
}

func newOracle() (*oracle, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	vault := &fakeVault{}
	go func() { _ = http.Serve(listener, vault) }()
	clients := dep.NewClientSet()
	if err := clients.CreateVaultClient(&dep.CreateVaultClientInput{
		Address: "http://" + listener.Addr().String(),
		Token:   "oracle-token",
	}); err != nil {
		return nil, err
	}
	return &oracle{vault: vault, clients: clients}, nil
}

// withCaseEnv runs f with the case's env as the process environment, empty again after:
// `plugin` looks its program up in the process's PATH and the program inherits that
// environment (so does go-sockaddr's `ip route`), while `env` reads the case's list first and
// the process's after, which then agree.
func withCaseEnv(c Case, f func()) {
	for _, kv := range envList(c) {
		k, v, _ := strings.Cut(kv, "=")
		_ = os.Setenv(k, v)
	}
	defer os.Clearenv()
	f()
}

func envList(c Case) []string {
	keys := make([]string, 0, len(c.Env))
	for k := range c.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+c.Env[k])
	}
	return out
}

// newTemplate builds the template as consul-template's Template.Execute does
// (function map bound to the brain and the used/missing sets, delimiters,
// missingkey), but named after the case and with the case's missingkey, so that
// Go's own semantics can be judged too.
func newTemplate(c Case, brain *cttemplate.Brain, used, missing *dep.Set) *template.Template {
	t := template.New(c.Name)
	if len(c.Delims) == 2 {
		t.Delims(c.Delims[0], c.Delims[1])
	}
	t.Funcs(ctFuncMap(&funcMapInput{
		newTmpl: t,
		brain:   brain,
		env:     envList(c),
		used:    used,
		missing: missing,
	}))
	switch c.MissingKey {
	case "", "default":
	default:
		t.Option("missingkey=" + c.MissingKey)
	}
	return t
}

func execute(c Case, brain *cttemplate.Brain) (out string, missing *dep.Set, err error) {
	used := &dep.Set{}
	missing = &dep.Set{}
	t, err := newTemplate(c, brain, used, missing).Parse(c.Template)
	if err != nil {
		return "", missing, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, c.Data)
	if err != nil && c.Redact {
		err = ctRedact(used, brain, err)
	}
	return b.String(), missing, err
}

// render runs the runner's loop: execute, fetch what was missing, again. A
// dependency whose path is not among the case's secrets stays missing, so the
// template renders it as consul-template does before the secret has arrived.
func (o *oracle) render(c Case) (Result, *cttemplate.Brain) {
	o.vault.load(c.Secrets)
	brain := cttemplate.NewBrain()
	tried := map[string]bool{}
	r := Result{Name: c.Name}
	for round := 0; ; round++ {
		out, missing, err := execute(c, brain)
		fetched := false
		if missing != nil {
			for _, d := range missing.List() {
				// only Vault and local files answer here: Consul and Nomad dependencies stay
				// missing, as under Vault Agent, which connects to neither
				_, isFile := d.(*dep.FileQuery)
				if tried[d.String()] || (d.Type() != dep.TypeVault && !isFile) {
					continue
				}
				tried[d.String()] = true
				before := o.vault.misses()
				data, _, ferr := d.Fetch(o.clients, &dep.QueryOptions{})
				if ferr != nil {
					if o.vault.misses() > before {
						continue // not recorded: stays missing
					}
					r.Error = fmt.Sprintf("oracle: fetching %s: %s", d, ferr)
					return r, brain
				}
				brain.Remember(d, data)
				fetched = true
			}
		}
		if fetched && round < 32 {
			continue
		}
		r.Output = out
		if err != nil {
			r.Error = err.Error()
			return r, brain
		}
		r.OK = true
		return r, brain
	}
}

func bench(c Case, brain *cttemplate.Brain, n int) (full, exec float64) {
	start := time.Now()
	for i := 0; i < n; i++ {
		_, _, _ = execute(c, brain)
	}
	full = float64(time.Since(start).Nanoseconds()) / float64(n)
	t, err := newTemplate(c, brain, &dep.Set{}, &dep.Set{}).Parse(c.Template)
	if err != nil {
		return full, 0
	}
	start = time.Now()
	for i := 0; i < n; i++ {
		var b bytes.Buffer
		_ = t.Execute(&b, c.Data)
	}
	exec = float64(time.Since(start).Nanoseconds()) / float64(n)
	return full, exec
}

// selfCheck proves that funcMapInput matches consul-template's layout: the
// environment, the brain and the missing set must all reach the functions.
func selfCheck(o *oracle) error {
	c := Case{
		Name:     "self-check",
		Template: `{{ env "ORACLE_CHECK" }}|{{ with secret "oracle/check" }}{{ .Data.v }}{{ end }}|{{ secrets "oracle/list" }}`,
		Env:      map[string]string{"ORACLE_CHECK": "env-ok"},
		Secrets: map[string]json.RawMessage{
			"oracle/check": json.RawMessage(`{"data":{"v":12345678901234567890}}`),
			"oracle/list":  json.RawMessage(`{"data":{"keys":["b","a"]}}`),
		},
	}
	r, _ := o.render(c)
	if want := "env-ok|12345678901234567890|[a b]"; !r.OK || r.Output != want {
		return fmt.Errorf("oracle self-check failed: got %+v, want output %q", r, want)
	}
	return nil
}

func main() {
	n := flag.Int("bench", 0, "also time each case over this many runs")
	funcs := flag.Bool("funcs", false, "print the function map's names as a JSON array")
	flag.Parse()
	log.SetOutput(io.Discard) // consul-template's dependencies log at TRACE through the standard logger
	if *funcs {
		names := []string{}
		for name := range ctFuncMap(&funcMapInput{newTmpl: template.New(""), brain: cttemplate.NewBrain(), used: &dep.Set{}, missing: &dep.Set{}}) {
			names = append(names, name)
		}
		sort.Strings(names)
		out, _ := json.Marshal(names)
		fmt.Println(string(out))
		return
	}
	// Vault's client reads VAULT_* settings from the environment, and env falls
	// back to the process environment: neither may depend on the machine.
	os.Clearenv()
	// The runner sets this from the Vault config (lease_renewal_threshold, 0.9 by default); unset,
	// pkiCert finds every certificate due for renewal and never renders.
	dep.SetVaultLeaseRenewalThreshold(config.DefaultLeaseRenewalThreshold)
	o, err := newOracle()
	if err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(2)
	}
	if err := selfCheck(o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(2)
	}
	var cases []Case
	if err := json.Unmarshal(in, &cases); err != nil {
		fmt.Fprintln(os.Stderr, "oracle: input is not a JSON array of cases:", err)
		os.Exit(2)
	}
	// spew_dump and spew_printf write to the process's stdout: keep it for the results alone
	out := os.Stdout
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stdout = devNull
	}
	results := make([]Result, 0, len(cases))
	for _, c := range cases {
		var r Result
		withCaseEnv(c, func() {
			var brain *cttemplate.Brain
			r, brain = o.render(c)
			if *n > 0 {
				r.NsPerOp, r.ExecNsPerOp = bench(c, brain, *n)
			}
		})
		results = append(results, r)
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(results)
}
