/**
 * sprig v3.3.0's own test suite (its *_test.go files, date_test.go left to the date functions'
 * port), rewritten for consul-template: every sprig function under its `sprig_` name, Go's
 * builtins and consul-template's own functions kept. Go's expected values are not copied; the
 * oracle judges every case. Case names are `sprigtest/<test file>/<test>-<n>`.
 *
 * Tests that call a Go function directly (regexMatch(...), toFloat64(int8(102)), ceil("123"))
 * are ported as the template call of the same function. Where a test's Go value can be made in
 * the template by another function of the map, it is: []string from `sprig_splitList`, []int
 * from `sprig_untilStep`, int64 from `sprig_int64`, uint64 from `parseUint`. Random functions
 * keep the deterministic part of their test (a length, a prefix, a one-value range).
 *
 * Left out: 38 checks, each needing what JSON data and the template cannot make, or a function
 * not yet implemented here:
 * - numeric_test.go TestToFloat64, TestToInt64, TestToInt: their int8, int16, int32 and uint16
 *   arguments (4 typed integers x 3 tests = 12; Go-only types; int, int64, uint64, string,
 *   float64 and bool are ported).
 * - reflect_test.go (6): TestTypeOf (*sprig.fixtureTO), TestKindOf's fixtureTO struct and nil
 *   *fixtureTO, TestTypeIs's *fixtureTO, TestTypeIsLike's *string, TestKindIs's *fixtureTO: the
 *   test package's own struct type and pointers. The `-secret` cases run the same functions on
 *   consul-template's *dependency.Secret instead.
 * - crypto_test.go (20 templates of 8 tests): TestGenPrivateKey (7), TestBuildCustomCert (2),
 *   TestGenCA (1), TestGenCAWithKey (2), TestGenSelfSignedCert (1), TestGenSelfSignedCertWithKey
 *   (2), TestGenSignedCert (1), TestGenSignedCertWithKey (4): functions not yet implemented (in
 *   function-map.test.ts's NOT_YET), and random keys and certificates.
 * Kept in a deterministic form (random results): TestBcrypt, TestHtpasswd (the hash's prefix and
 * length, the user name; the hashes themselves are verified in sprig-crypto.test.ts), TestShuffle
 * (its seed no longer reaches sprig's generator), TestRandomInt (one-value ranges exactly, the
 * others as a range check).
 * Not in consul-template's hermetic map, so Go's `function "..." not defined`: env, expandenv,
 * randAlphaNum, randAlpha, randAscii, randNumeric, randBytes, uuidv4, getHostByName.
 */
import { cases } from '../case.ts';

const T = String.raw;

const nilValue = { data: { value: null } };
const top = { data: { top: {} } };

// dict_test.go TestMerge/TestMergeOverwrite's maps ([]int as JSON arrays: merge keeps or replaces
// them whole, so the element type does not matter to what is printed).
const mergeData = () => ({
  data: {
    src2: { h: 10, i: 'i', j: 'j' },
    src1: { a: 1, b: 2, d: { e: 'four' }, g: [6, 7], i: 'aye', j: 'jay', k: { l: false } },
    dst: { a: 'one', c: 3, d: { f: 5 }, g: [8, 9], i: 'eye', k: { l: true } },
  },
});
const mergeInTemplate = T`{{- $src2 := sprig_dict "h" 10 "i" "i" "j" "j" -}}
{{- $src1 := sprig_dict "a" 1 "b" 2 "d" (sprig_dict "e" "four") "g" (sprig_untilStep 6 8 1) "i" "aye" "j" "jay" "k" (sprig_dict "l" false) -}}
{{- $dst := sprig_dict "a" "one" "c" 3 "d" (sprig_dict "f" 5) "g" (sprig_untilStep 8 10 1) "i" "eye" "k" (sprig_dict "l" true) -}}`;

// url_test.go's urlTests table
const urlTests: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['proto://auth@host:80/path?query#fragment', { fragment: 'fragment', host: 'host:80', hostname: 'host', opaque: '', path: '/path', query: 'query', scheme: 'proto', userinfo: 'auth' }],
  ['proto://host:80/path', { fragment: '', host: 'host:80', hostname: 'host', opaque: '', path: '/path', query: '', scheme: 'proto', userinfo: '' }],
  ['something', { fragment: '', host: '', hostname: '', opaque: '', path: 'something', query: '', scheme: '', userinfo: '' }],
  ['proto://user:passwor%20d@host:80/path', { fragment: '', host: 'host:80', hostname: 'host', opaque: '', path: '/path', query: '', scheme: 'proto', userinfo: 'user:passwor%20d' }],
  ['proto://host:80/pa%20th?key=val%20ue', { fragment: '', host: 'host:80', hostname: 'host', opaque: '', path: '/pa th', query: 'key=val%20ue', scheme: 'proto', userinfo: '' }],
];

const secret = { secrets: { 'secret/fixture': '{"data":{"Name":"hello","Value":"world"}}' } };

type Row = readonly [string, string, Parameters<typeof cases>[1][number][2]?];

/** Rows of one test function, numbered: [template, extra] → `<test>-<n>`. */
function numbered(test: string, rows: ReadonlyArray<string | readonly [string, Row[2]]>): Row[] {
  return rows.map((row, i) => (typeof row === 'string' ? [`${test}-${i}`, row] as const : [`${test}-${i}`, row[0], row[1]] as const));
}

function file(name: string, rows: Row[]): Row[] {
  return rows.map(([test, template, extra]) => [`${name}/${test}`, template, extra] as const);
}

const strings = file('strings', [
  ...numbered('Substr', [T`{{"fooo" | sprig_substr 0 3 }}`]),
  ...numbered('Substr_shorterString', [T`{{"foo" | sprig_substr 0 10 }}`]),
  ...numbered('Trunc', [T`{{ "foooooo" | sprig_trunc 3 }}`, T`{{ "baaaaaar" | sprig_trunc -3 }}`, T`{{ "baaaaaar" | sprig_trunc -999 }}`, T`{{ "baaaaaz" | sprig_trunc 0 }}`]),
  ...numbered('Quote', [T`{{sprig_quote "a" "b" "c"}}`, T`{{sprig_quote "\"a\"" "b" "c"}}`, T`{{sprig_quote 1 2 3 }}`, [T`{{ .value | sprig_quote }}`, nilValue]]),
  ...numbered('Squote', [T`{{sprig_squote "a" "b" "c"}}`, T`{{sprig_squote 1 2 3 }}`, [T`{{ .value | sprig_squote }}`, nilValue]]),
  ...numbered('Contains', [T`{{if sprig_contains "cat" "fair catch"}}1{{end}}`, T`{{if sprig_hasPrefix "cat" "catch"}}1{{end}}`, T`{{if sprig_hasSuffix "cat" "ducat"}}1{{end}}`]),
  ...numbered('Trim', [T`{{sprig_trim "   5.00   "}}`, T`{{sprig_trimAll "$" "$5.00$"}}`, T`{{sprig_trimPrefix "$" "$5.00"}}`, T`{{sprig_trimSuffix "$" "5.00$"}}`]),
  ...numbered('Split', [T`{{$v := "foo$bar$baz" | sprig_split "$"}}{{$v._0}}`]),
  ...numbered('Splitn', [T`{{$v := "foo$bar$baz" | sprig_splitn "$" 2}}{{$v._0}}`]),
  ...numbered('ToString', [T`{{ sprig_toString 1 | sprig_kindOf }}`]),
  ...numbered('ToStrings', [T`{{ $s := sprig_list 1 2 3 | sprig_toStrings }}{{ index $s 1 | sprig_kindOf }}`, [T`{{ sprig_list 1 .value 2 | sprig_toStrings }}`, nilValue]]),
  ...numbered('Join', [
    T`{{ sprig_tuple "a" "b" "c" | sprig_join "-" }}`,
    T`{{ sprig_tuple 1 2 3 | sprig_join "-" }}`,
    [T`{{ sprig_join "-" .V }}`, { data: { V: ['a', 'b', 'c'] } }],
    [T`{{ sprig_join "-" .V }}`, { data: { V: 'abc' } }],
    T`{{ sprig_join "-" (sprig_untilStep 1 4 1) }}`,
    [T`{{ sprig_join "-" .value }}`, { data: { value: ['1', null, '2'] } }],
    T`{{ sprig_join "-" (sprig_splitList "," "a,b,c") }}`,
  ]),
  ...numbered('SortAlpha', [T`{{ sprig_list "c" "a" "b" | sprig_sortAlpha | sprig_join "" }}`, T`{{ sprig_list 2 1 4 3 | sprig_sortAlpha | sprig_join "" }}`]),
  ...numbered('Base64EncodeDecode', [T`{{sprig_b64enc "coffee"}}`, T`{{sprig_b64dec "Y29mZmVl"}}`]),
  ...numbered('Base32EncodeDecode', [T`{{sprig_b32enc "coffee"}}`, T`{{sprig_b32dec "MNXWMZTFMU======"}}`]),
  ...numbered('Goutils', [
    T`{{sprig_abbrev 5 "hello world"}}`,
    T`{{sprig_abbrevboth 5 10 "1234 5678 9123"}}`,
    T`{{sprig_nospace "h e l l o "}}`,
    T`{{sprig_untitle "First Try"}}`,
    T`{{sprig_initials "First Try"}}`,
    T`{{sprig_wrap 5 "Hello World"}}`,
    T`{{sprig_wrapWith 5 "\t" "Hello World"}}`,
  ]),
  // not in consul-template's hermetic map: Go's "function not defined"
  ...numbered('RandomString', [T`{{sprig_randAlphaNum 5}}`, T`{{sprig_randAlpha 5}}`, T`{{sprig_randAscii 5}}`, T`{{sprig_randNumeric 5}}`]),
  ...numbered('Cat', [T`{{$b := "b"}}{{"c" | sprig_cat "a" $b}}`, [T`{{ .value | sprig_cat "a" "b"}}`, nilValue]]),
  ...numbered('Indent', [T`{{sprig_indent 4 "a\nb\nc"}}`]),
  ...numbered('Nindent', [T`{{sprig_nindent 4 "a\nb\nc"}}`]),
  ...numbered('Replace', [T`{{"I Am Henry VIII" | sprig_replace " " "-"}}`]),
  ...numbered('Plural', [T`{{$num := len "two"}}{{$num}} {{$num | sprig_plural "1 char" "chars"}}`, T`{{len "t" | sprig_plural "cheese" "%d chars"}}`]),
]);

const functions = file('functions', [
  ...numbered('Env', [[T`{{sprig_env "FOO"}}`, { env: { FOO: 'bar' } }]]),
  ...numbered('ExpandEnv', [[T`{{sprig_expandenv "Hello $FOO"}}`, { env: { FOO: 'bar' } }]]),
  ...numbered('Base', [T`{{ sprig_base "foo/bar" }}`]),
  ...numbered('Dir', [T`{{ sprig_dir "foo/bar/baz" }}`]),
  ...numbered('IsAbs', [T`{{ sprig_isAbs "/foo" }}`, T`{{ sprig_isAbs "foo" }}`]),
  ...numbered('Clean', [T`{{ sprig_clean "/foo/../foo/../bar" }}`]),
  ...numbered('Ext', [T`{{ sprig_ext "/foo/bar/baz.txt" }}`]),
  ...numbered('SnakeCase', ['FirstName', 'HTTPServer', 'NoHTTPS', 'GO_PATH', 'GO PATH', 'GO-PATH'].map((s) => `{{ sprig_snakecase "${s}" }}`)),
  ...numbered('CamelCase', ['http_server', '_camel_case', 'no_https', '_complex__case_', 'all'].map((s) => `{{ sprig_camelcase "${s}" }}`)),
  ...numbered('KebabCase', ['FirstName', 'HTTPServer', 'NoHTTPS', 'GO_PATH', 'GO PATH', 'GO-PATH'].map((s) => `{{ sprig_kebabcase "${s}" }}`)),
  // rand.Seed(1) does not reach sprig's generator under Go 1.20+: the letters, not their order
  ...numbered('Shuffle', [T`{{ sprig_shuffle "Hello World" | len }}`, T`{{ sprig_shuffle "aaaa" }}`, T`{{ sprig_shuffle "" | printf "%q" }}`]),
  ...numbered('Regex', [T`{{ sprig_regexQuoteMeta "1.2.3" }}`, T`{{ sprig_regexQuoteMeta "pretzel" }}`]),
]);

// functions_linux_test.go and functions_windows_test.go (the oracle runs on Linux: the Windows
// paths are judged as Linux sees them)
const osPaths = file('functions_os', [
  ...numbered('OsBase', [T`{{ sprig_osBase "foo/bar" }}`, T`{{ sprig_osBase "C:\\foo\\bar" }}`]),
  ...numbered('OsDir', [T`{{ sprig_osDir "foo/bar/baz" }}`, T`{{ sprig_osDir "C:\\foo\\bar\\baz" }}`]),
  ...numbered('OsIsAbs', [T`{{ sprig_osIsAbs "/foo" }}`, T`{{ sprig_osIsAbs "foo" }}`, T`{{ sprig_osIsAbs "C:\\foo" }}`, T`{{ sprig_osIsAbs "foo" }}`]),
  ...numbered('OsClean', [T`{{ sprig_osClean "/foo/../foo/../bar" }}`, T`{{ sprig_osClean "C:\\foo\\..\\foo\\..\\bar" }}`]),
  ...numbered('OsExt', [T`{{ sprig_osExt "/foo/bar/baz.txt" }}`, T`{{ sprig_osExt "C:\\foo\\bar\\baz.txt" }}`]),
]);

/** The plain and must* forms of a list test. */
function both(test: string, fn: string, rows: readonly string[]): Row[] {
  const mustName = `must${fn[0]!.toUpperCase()}${fn.slice(1)}`;
  return [
    ...numbered(test, rows.map((r) => r.replaceAll('§', `sprig_${fn}`))),
    ...numbered(`Must${test}`, rows.map((r) => r.replaceAll('§', `sprig_${mustName}`))),
  ];
}

const list = file('list', [
  ...numbered('Tuple', [T`{{$t := sprig_tuple 1 "a" "foo"}}{{index $t 2}}{{index $t 0 }}{{index $t 1}}`]),
  ...numbered('List', [T`{{$t := sprig_list 1 "a" "foo"}}{{index $t 2}}{{index $t 0 }}{{index $t 1}}`]),
  ...numbered('Push', [
    T`{{ $t := sprig_tuple 1 2 3  }}{{ sprig_append $t 4 | len }}`,
    T`{{ $t := sprig_tuple 1 2 3 4  }}{{ sprig_append $t 5 | sprig_join "-" }}`,
    T`{{ $t := sprig_regexSplit "/" "foo/bar/baz" -1 }}{{ sprig_append $t "qux" | sprig_join "-" }}`,
  ]),
  ...numbered('MustPush', [
    T`{{ $t := sprig_tuple 1 2 3  }}{{ sprig_mustAppend $t 4 | len }}`,
    T`{{ $t := sprig_tuple 1 2 3 4  }}{{ sprig_mustAppend $t 5 | sprig_join "-" }}`,
    T`{{ $t := sprig_regexSplit "/" "foo/bar/baz" -1 }}{{ sprig_mustPush $t "qux" | sprig_join "-" }}`,
  ]),
  ...both('Chunk', 'chunk', [
    T`{{ sprig_tuple 1 2 3 4 5 6 7 | § 3 | len }}`,
    T`{{ sprig_tuple | § 3 | len }}`,
    T`{{ range ( sprig_tuple 1 2 3 4 5 6 7 8 9 | § 3 ) }}{{. | sprig_join "-"}}|{{end}}`,
    T`{{ range ( sprig_tuple 1 2 3 4 5 6 7 8 | § 3 ) }}{{. | sprig_join "-"}}|{{end}}`,
    T`{{ range ( sprig_tuple 1 2 | § 3 ) }}{{. | sprig_join "-"}}|{{end}}`,
  ]),
  ...both('Prepend', 'prepend', [
    T`{{ $t := sprig_tuple 1 2 3  }}{{ § $t 0 | len }}`,
    T`{{ $t := sprig_tuple 1 2 3 4  }}{{ § $t 0 | sprig_join "-" }}`,
    T`{{ $t := sprig_regexSplit "/" "foo/bar/baz" -1 }}{{ § $t "qux" | sprig_join "-" }}`,
  ]),
  ...both('First', 'first', [T`{{ sprig_list 1 2 3 | § }}`, T`{{ sprig_list | § }}`, T`{{ sprig_regexSplit "/src/" "foo/src/bar" -1 | § }}`]),
  ...both('Last', 'last', [T`{{ sprig_list 1 2 3 | § }}`, T`{{ sprig_list | § }}`, T`{{ sprig_regexSplit "/src/" "foo/src/bar" -1 | § }}`]),
  ...both('Initial', 'initial', [
    T`{{ sprig_list 1 2 3 | § | len }}`,
    T`{{ sprig_list 1 2 3 | § | sprig_last }}`,
    T`{{ sprig_list 1 2 3 | § | sprig_first }}`,
    T`{{ sprig_list | § }}`,
    T`{{ sprig_regexSplit "/" "foo/bar/baz" -1 | § }}`,
  ]),
  ...both('Rest', 'rest', [
    T`{{ sprig_list 1 2 3 | § | len }}`,
    T`{{ sprig_list 1 2 3 | § | sprig_last }}`,
    T`{{ sprig_list 1 2 3 | § | sprig_first }}`,
    T`{{ sprig_list | § }}`,
    T`{{ sprig_regexSplit "/" "foo/bar/baz" -1 | § }}`,
  ]),
  ...both('Reverse', 'reverse', [
    T`{{ sprig_list 1 2 3 | § | sprig_first }}`,
    T`{{ sprig_list 1 2 3 | § | sprig_rest | sprig_first }}`,
    T`{{ sprig_list 1 2 3 | § | sprig_last }}`,
    T`{{ sprig_list 1 2 3 4 | § }}`,
    T`{{ sprig_list 1 | § }}`,
    T`{{ sprig_list | § }}`,
    T`{{ sprig_regexSplit "/" "foo/bar/baz" -1 | § }}`,
  ]),
  ...both('Compact', 'compact', [
    T`{{ sprig_list 1 0 "" "hello" | § }}`,
    T`{{ sprig_list "" "" | § }}`,
    T`{{ sprig_list | § }}`,
    T`{{ sprig_regexSplit "/" "foo//bar" -1 | § }}`,
  ]),
  ...both('Uniq', 'uniq', [
    T`{{ sprig_list 1 2 3 4 | § }}`,
    T`{{ sprig_list "a" "b" "c" "d" | § }}`,
    T`{{ sprig_list 1 1 1 1 2 2 2 2 | § }}`,
    T`{{ sprig_list "foo" 1 1 1 1 "foo" "foo" | § }}`,
    T`{{ sprig_list | § }}`,
    T`{{ sprig_regexSplit "/" "foo/foo/bar" -1 | § }}`,
  ]),
  ...both('Without', 'without', [
    T`{{ § (sprig_list 1 2 3 4) 1 }}`,
    T`{{ § (sprig_list "a" "b" "c" "d") "a" }}`,
    T`{{ § (sprig_list 1 1 1 1 2) 1 }}`,
    T`{{ § (sprig_list) 1 }}`,
    T`{{ § (sprig_list 1 2 3) }}`,
    T`{{ § sprig_list }}`,
    T`{{ § (sprig_regexSplit "/" "foo/bar/baz" -1 ) "foo" }}`,
  ]),
  ...both('Has', 'has', [
    T`{{ sprig_list 1 2 3 | § 1 }}`,
    T`{{ sprig_list 1 2 3 | § 4 }}`,
    T`{{ sprig_regexSplit "/" "foo/bar/baz" -1 | § "bar" }}`,
    T`{{ § "bar" nil }}`,
  ]),
  ...both('Slice', 'slice', [
    T`{{ § (sprig_list 1 2 3) }}`,
    T`{{ § (sprig_list 1 2 3) 0 1 }}`,
    T`{{ § (sprig_list 1 2 3) 1 3 }}`,
    T`{{ § (sprig_list 1 2 3) 1 }}`,
    T`{{ § (sprig_regexSplit "/" "foo/bar/baz" -1) 1 2 }}`,
  ]),
  ...numbered('Concat', [
    T`{{ sprig_concat (sprig_list 1 2 3) }}`,
    T`{{ sprig_concat (sprig_list 1 2 3) (sprig_list 4 5) }}`,
    T`{{ sprig_concat (sprig_list 1 2 3) (sprig_list 4 5) (sprig_list) }}`,
    T`{{ sprig_concat (sprig_list 1 2 3) (sprig_list 4 5) (sprig_list nil) }}`,
    T`{{ sprig_concat (sprig_list 1 2 3) (sprig_list 4 5) (sprig_list ( sprig_list "foo" ) ) }}`,
  ]),
]);

const dict = file('dict', [
  ...numbered('Dict', [
    T`{{$d := sprig_dict 1 2 "three" "four" 5}}{{range $k, $v := $d}}{{$k}}{{$v}}{{end}}`,
    T`{{$t := sprig_dict "I" "shot" "the" "albatross"}}{{$t.the}} {{$t.I}}`,
  ]),
  ...numbered('Unset', [`{{- $d := sprig_dict "one" 1 "two" 222222 -}}
	{{- $_ := sprig_unset $d "two" -}}
	{{- range $k, $v := $d}}{{$k}}{{$v}}{{- end -}}
	`]),
  ...numbered('HasKey', [`{{- $d := sprig_dict "one" 1 "two" 222222 -}}
	{{- if sprig_hasKey $d "one" -}}1{{- end -}}
	`]),
  ...numbered('Pluck', [`
	{{- $d := sprig_dict "one" 1 "two" 222222 -}}
	{{- $d2 := sprig_dict "one" 1 "two" 33333 -}}
	{{- $d3 := sprig_dict "one" 1 -}}
	{{- $d4 := sprig_dict "one" 1 "two" 4444 -}}
	{{- sprig_pluck "two" $d $d2 $d3 $d4 -}}
	`]),
  ...numbered('Keys', [
    T`{{ sprig_dict "foo" 1 "bar" 2 | sprig_keys | sprig_sortAlpha }}`,
    T`{{ sprig_dict | sprig_keys }}`,
    T`{{ sprig_keys (sprig_dict "foo" 1) (sprig_dict "bar" 2) (sprig_dict "bar" 3) | sprig_uniq | sprig_sortAlpha }}`,
  ]),
  ...numbered('Pick', [
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_pick $d "two" | len -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_pick $d "two" -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_pick $d "one" "two" | len -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_pick $d "one" "two" "three" | len -}}`,
    T`{{- $d := sprig_dict }}{{ sprig_pick $d "two" | len -}}`,
  ]),
  ...numbered('Omit', [
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_omit $d "one" | len -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_omit $d "one" -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_omit $d "one" "two" | len -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" 222222 }}{{ sprig_omit $d "two" "three" | len -}}`,
    T`{{- $d := sprig_dict }}{{ sprig_omit $d "two" | len -}}`,
  ]),
  ...numbered('Get', [
    T`{{- $d := sprig_dict "one" 1 }}{{ sprig_get $d "one" -}}`,
    T`{{- $d := sprig_dict "one" 1 "two" "2" }}{{ sprig_get $d "two" -}}`,
    T`{{- $d := sprig_dict }}{{ sprig_get $d "two" -}}`,
  ]),
  ...numbered('Set', [`{{- $d := sprig_dict "one" 1 "two" 222222 -}}
	{{- $_ := sprig_set $d "two" 2 -}}
	{{- $_ := sprig_set $d "three" 3 -}}
	{{- if sprig_hasKey $d "one" -}}{{$d.one}}{{- end -}}
	{{- if sprig_hasKey $d "two" -}}{{$d.two}}{{- end -}}
	{{- if sprig_hasKey $d "three" -}}{{$d.three}}{{- end -}}
	`]),
  // the test looks at dst after the merge: printed here, after the merge's own result
  ...numbered('Merge', [
    [T`{{sprig_merge .dst .src1 .src2}}|{{ .dst }}`, mergeData()],
    mergeInTemplate + T`{{ sprig_merge $dst $src1 $src2 }}|{{ $dst }}|{{ printf "%T" $dst.g }}`,
  ]),
  ...numbered('MergeOverwrite', [
    [T`{{sprig_mergeOverwrite .dst .src1 .src2}}|{{ .dst }}`, mergeData()],
    mergeInTemplate + T`{{ sprig_mergeOverwrite $dst $src1 $src2 }}|{{ $dst }}|{{ printf "%T" $dst.g }}`,
  ]),
  ...numbered('Values', [
    T`{{- $d := sprig_dict "a" 1 "b" 2 }}{{ sprig_values $d | sprig_sortAlpha | sprig_join "," }}`,
    T`{{- $d := sprig_dict "a" "first" "b" 2 }}{{ sprig_values $d | sprig_sortAlpha | sprig_join "," }}`,
  ]),
  ...both('DeepCopy', 'deepCopy', [
    T`{{- $d := sprig_dict "a" 1 "b" 2 | § }}{{ sprig_values $d | sprig_sortAlpha | sprig_join "," }}`,
    T`{{- $d := sprig_dict "a" 1 "b" 2 | § }}{{ sprig_keys $d | sprig_sortAlpha | sprig_join "," }}`,
    T`{{- $one := sprig_dict "foo" (sprig_dict "bar" "baz") "qux" true -}}{{ § $one }}`,
  ]),
  ...numbered('Dig', [
    T`{{- $d := sprig_dict "a" (sprig_dict "b" (sprig_dict "c" 1)) }}{{ sprig_dig "a" "b" "c" "" $d }}`,
    T`{{- $d := sprig_dict "a" (sprig_dict "b" (sprig_dict "c" 1)) }}{{ sprig_dig "a" "b" "z" "2" $d }}`,
    T`{{ sprig_dict "a" 1 | sprig_dig "a" "" }}`,
    T`{{ sprig_dict "a" 1 | sprig_dig "z" "2" }}`,
  ]),
]);

const topJson = { data: { Top: { bool: true, string: 'test', number: 42 } } };
const defaults = file('defaults', [
  ...numbered('Default', [T`{{"" | sprig_default "foo"}}`, T`{{sprig_default "foo" 234}}`, T`{{sprig_default "foo" 2.34}}`, T`{{ .Nothing | sprig_default "123" }}`, T`{{ sprig_default "123" }}`]),
  ...numbered('Empty', [
    T`{{if sprig_empty 1}}1{{else}}0{{end}}`,
    T`{{if sprig_empty 0}}1{{else}}0{{end}}`,
    T`{{if sprig_empty ""}}1{{else}}0{{end}}`,
    T`{{if sprig_empty 0.0}}1{{else}}0{{end}}`,
    T`{{if sprig_empty false}}1{{else}}0{{end}}`,
    [T`{{if sprig_empty .top.NoSuchThing}}1{{else}}0{{end}}`, top],
    [T`{{if sprig_empty .bottom.NoSuchThing}}1{{else}}0{{end}}`, top],
  ]),
  // TestCoalesce, TestAll and TestAny: one table, TestAny with $zero in place of the last $two row
  ...(['coalesce', 'all', 'any'] as const).flatMap((fn) => numbered(fn[0]!.toUpperCase() + fn.slice(1), [
    `{{ sprig_${fn} 1 }}`,
    `{{ sprig_${fn} "" 0 nil 2 }}`,
    `{{ $two := 2 }}{{ sprig_${fn} "" 0 nil $two }}`,
    ...(fn === 'any' ? [] : [`{{ $two := 2 }}{{ sprig_${fn} "" $two 0 0 0 }}`]),
    `{{ $two := 2 }}{{ sprig_${fn} "" $two 3 4 5 }}`,
    ...(fn === 'any' ? [`{{ $zero := 0 }}{{ sprig_${fn} "" $zero 0 0 0 }}`] : []),
    `{{ sprig_${fn} }}`,
    [`{{ sprig_${fn} .top.NoSuchThing .bottom .bottom.dollar "airplane"}}`, top],
  ])),
  ...numbered('FromJson', [[T`{{.Input | sprig_fromJson}}`, { data: { Input: '{"foo": 55}' } }], [T`{{(.Input | sprig_fromJson).foo}}`, { data: { Input: '{"foo": 55}' } }]]),
  ...numbered('ToJson', [[T`{{.Top | sprig_toJson}}`, topJson]]),
  ...numbered('ToPrettyJson', [[T`{{.Top | sprig_toPrettyJson}}`, topJson]]),
  ...numbered('ToRawJson', [[T`{{.Top | sprig_toRawJson}}`, { data: { Top: { bool: true, string: 'test', number: 42, html: '<HEAD>' } } }]]),
  ...numbered('Ternary', [T`{{true | sprig_ternary "foo" "bar"}}`, T`{{sprig_ternary "foo" "bar" true}}`, T`{{false | sprig_ternary "foo" "bar"}}`, T`{{sprig_ternary "foo" "bar" false}}`]),
]);

/** numeric_test.go's direct calls of toFloat64/toInt64/toInt, as their template names. */
function conversions(test: string, fn: string): Row[] {
  return numbered(test, [
    `{{ sprig_${fn} 102 }}`,
    `{{ sprig_${fn} (sprig_int64 102) }}`,
    `{{ sprig_${fn} "102" }}`,
    `{{ sprig_${fn} "frankie" }}`,
    `{{ sprig_${fn} (parseUint "102") }}`,
    `{{ sprig_${fn} 102.1234 }}`,
    `{{ sprig_${fn} true }}`,
    `{{ printf "%T" (sprig_${fn} 102) }}`, // not in the Go test: the result's type
  ]);
}

const numeric = file('numeric', [
  ...numbered('Until', [T`{{range $i, $e := sprig_until 5}}{{$i}}{{$e}}{{end}}`, T`{{range $i, $e := sprig_until -5}}{{$i}}{{$e}} {{end}}`]),
  ...numbered('UntilStep', [
    T`{{range $i, $e := sprig_untilStep 0 5 1}}{{$i}}{{$e}}{{end}}`,
    T`{{range $i, $e := sprig_untilStep 3 6 1}}{{$i}}{{$e}}{{end}}`,
    T`{{range $i, $e := sprig_untilStep 0 -10 -2}}{{$i}}{{$e}} {{end}}`,
    T`{{range $i, $e := sprig_untilStep 3 0 1}}{{$i}}{{$e}}{{end}}`,
    T`{{range $i, $e := sprig_untilStep 3 99 0}}{{$i}}{{$e}}{{end}}`,
    T`{{range $i, $e := sprig_untilStep 3 99 -1}}{{$i}}{{$e}}{{end}}`,
    T`{{range $i, $e := sprig_untilStep 3 0 0}}{{$i}}{{$e}}{{end}}`,
  ]),
  ...numbered('Biggest', [T`{{ sprig_biggest 1 2 3 345 5 6 7}}`, T`{{ sprig_max 345}}`]),
  ...numbered('Maxf', [T`{{ sprig_maxf 1 2 3 345.7 5 6 7}}`, T`{{ sprig_max 345 }}`]),
  ...numbered('Min', [T`{{ sprig_min 1 2 3 345 5 6 7}}`, T`{{ sprig_min 345}}`]),
  ...numbered('Minf', [T`{{ sprig_minf 1.4 2 3 345.6 5 6 7}}`, T`{{ sprig_minf 345 }}`]),
  ...conversions('ToFloat64', 'float64'),
  ...conversions('ToInt64', 'int64'),
  ...conversions('ToInt', 'int'),
  ...numbered('ToDecimal', [T`{{ sprig_toDecimal "777" }}`, T`{{ sprig_toDecimal 777 }}`, T`{{ sprig_toDecimal 770 }}`, T`{{ sprig_toDecimal 755 }}`]),
  ...numbered('Add1', [T`{{ 3 | sprig_add1 }}`]),
  ...numbered('Add1f', [T`{{ 3.4 | sprig_add1f }}`]),
  ...numbered('Add', [T`{{ 3 | sprig_add 1 2}}`]),
  ...numbered('Addf', [T`{{ 3 | sprig_addf 1.5 2.2}}`]),
  ...numbered('Div', [T`{{ 4 | sprig_div 5 }}`]),
  ...numbered('Divf', [T`{{ 2 | sprig_divf 5 4 }}`]),
  ...numbered('Mul', [T`{{ 1 | sprig_mul "2" 3 "4"}}`]),
  ...numbered('Mulf', [T`{{ 1.2 | sprig_mulf "2.4" 10 "4"}}`]),
  ...numbered('Sub', [T`{{ 3 | sprig_sub 14 }}`]),
  ...numbered('Subf', [T`{{ 3 | sprig_subf 4.5 1 }}`]),
  ...numbered('Ceil', [T`{{ sprig_ceil 123 }}`, T`{{ sprig_ceil "123" }}`, T`{{ sprig_ceil 123.01 }}`, T`{{ sprig_ceil "123.01" }}`]),
  ...numbered('Floor', [T`{{ sprig_floor 123 }}`, T`{{ sprig_floor "123" }}`, T`{{ sprig_floor 123.9999 }}`, T`{{ sprig_floor "123.9999" }}`]),
  ...numbered('Round', [
    T`{{ sprig_round 123.5555 3 }}`,
    T`{{ sprig_round "123.55555" 3 }}`,
    T`{{ sprig_round 123.500001 0 }}`,
    T`{{ sprig_round 123.49999999 0 }}`,
    T`{{ sprig_round 123.2329999 2 .3 }}`,
    T`{{ sprig_round 123.233 2 .3 }}`,
  ]),
  // random: a one-value range is exact, the others are checked to lie in [min, max)
  ...numbered('RandomInt', [
    T`{{ sprig_randInt 10 11 }}`,
    T`{{ $r := sprig_randInt 10 13 }}{{ and (ge $r 10) (lt $r 13) }}`,
    T`{{ sprig_randInt 0 1 }}`,
    T`{{ $r := sprig_randInt 5 50 }}{{ and (ge $r 5) (lt $r 50) }}`,
  ]),
  ...numbered('Seq', [
    T`{{sprig_seq 0 1 3}}`, T`{{sprig_seq 0 3 10}}`, T`{{sprig_seq 3 3 2}}`, T`{{sprig_seq 3 -3 2}}`, T`{{sprig_seq}}`, T`{{sprig_seq 0 4}}`,
    T`{{sprig_seq 5}}`, T`{{sprig_seq -5}}`, T`{{sprig_seq 0}}`, T`{{sprig_seq 0 1 2 3}}`, T`{{sprig_seq 0 -4}}`,
  ]),
]);

const email = T`"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"`;
const regexSplits = [['a', 'banana', -1], ['a', 'banana', 0], ['a', 'banana', 1], ['a', 'banana', 2], ['z+', 'pizza', -1], ['z+', 'pizza', 0], ['z+', 'pizza', 1], ['z+', 'pizza', 2]] as const;
const regex = file('regex', [
  ...both('RegexMatch', 'regexMatch', ['test@acme.com', 'Test@Acme.Com', 'test', 'test.com', 'test@acme'].map((s) => `{{ § ${email} "${s}" }}`)),
  ...both('RegexFindAll', 'regexFindAll', [T`{{ len (§ "a{2}" "aa" -1) }}`, T`{{ len (§ "a{2}" "aaaaaaaa" 1) }}`, T`{{ len (§ "a{2}" "aaaa" -1) }}`, T`{{ len (§ "a{2}" "none" -1) }}`]),
  ...both('RegexFindl', 'regexFind', [T`{{ § "fo.?" "foorbar" }}`, T`{{ § "fo.?" "foo foe fome" }}`, T`{{ § "fo.?" "none" }}`]),
  ...both('RegexReplaceAll', 'regexReplaceAll', [T`{{ § "a(x*)b" "-ab-axxb-" "T" }}`, T`{{ § "a(x*)b" "-ab-axxb-" "$1" }}`, T`{{ § "a(x*)b" "-ab-axxb-" "$1W" }}`, '{{ § "a(x*)b" "-ab-axxb-" "${1}W" }}']),
  ...both('RegexReplaceAllLiteral', 'regexReplaceAllLiteral', [T`{{ § "a(x*)b" "-ab-axxb-" "T" }}`, T`{{ § "a(x*)b" "-ab-axxb-" "$1" }}`, '{{ § "a(x*)b" "-ab-axxb-" "${1}" }}']),
  ...both('RegexSplit', 'regexSplit', regexSplits.map(([re, s, n]) => `{{ len (§ "${re}" "${s}" ${n}) }}`)),
  ...numbered('RegexQuoteMeta', [T`{{ sprig_regexQuoteMeta "1.2.3" }}`, T`{{ sprig_regexQuoteMeta "pretzel" }}`]),
]);

const semver = file('semver', [
  ...numbered('SemverCompare', [T`{{ sprig_semverCompare "1.2.3" "1.2.3" }}`, T`{{ sprig_semverCompare "^1.2.0" "1.2.3" }}`, T`{{ sprig_semverCompare "^1.2.0" "2.2.3" }}`]),
  ...numbered('Semver', [
    T`{{ $s := sprig_semver "1.2.3-beta.1+c0ff33" }}{{ $s.Prerelease }}`,
    T`{{ $s := sprig_semver "1.2.3-beta.1+c0ff33" }}{{ $s.Major}}`,
    T`{{ sprig_semver "1.2.3" | (sprig_semver "1.2.3").Compare }}`,
    T`{{ sprig_semver "1.2.3" | (sprig_semver "1.3.3").Compare }}`,
    T`{{ sprig_semver "1.4.3" | (sprig_semver "1.2.3").Compare }}`,
  ]),
]);

const url = file('url', [
  ...numbered('UrlParse', [
    T`{{ index ( sprig_urlParse "proto://auth@host:80/path?query#fragment" ) "host" }}`,
    ...urlTests.map(([u]) => `{{ sprig_urlParse "${u}" }}`),
  ]),
  ...numbered('UrlJoin', [
    T`{{ sprig_urlJoin (sprig_dict "fragment" "fragment" "host" "host:80" "path" "/path" "query" "query" "scheme" "proto") }}`,
    T`{{ sprig_urlJoin (sprig_dict "fragment" "fragment" "host" "host:80" "path" "/path" "scheme" "proto" "userinfo" "ASDJKJSD") }}`,
    ...urlTests.map(([, m]) => [T`{{ sprig_urlJoin . }}`, { data: m }] as const),
  ]),
]);

const reflect = file('reflect', [
  ...numbered('KindOf', [[T`{{sprig_kindOf .}}`, { data: ['hello'] }], T`{{ with sprig_splitList "," "hello" }}{{ sprig_kindOf . }}{{ end }}`]),
  ...numbered('TypeIs', [[T`{{if sprig_typeIs "*sprig.fixtureTO" .}}t{{else}}f{{end}}`, { data: 'hello' }]]),
  ...numbered('TypeIsLike', [[T`{{if sprig_typeIsLike "string" .}}t{{else}}f{{end}}`, { data: 'foo' }]]),
  ...numbered('KindIs', [[T`{{if sprig_kindIs "ptr" .}}t{{else}}f{{end}}`, { data: 'hello' }]]),
  // the struct-pointer halves, on consul-template's *dependency.Secret for sprig's *fixtureTO
  ['TypeOf-secret', T`{{ with secret "secret/fixture" }}{{ sprig_typeOf . }}{{ end }}`, secret],
  ['KindOf-secret', T`{{ with secret "secret/fixture" }}{{ sprig_kindOf . }} {{ sprig_kindOf .Data }}{{ end }}`, secret],
  ['TypeIs-secret', T`{{ with secret "secret/fixture" }}{{if sprig_typeIs "*dependency.Secret" .}}t{{else}}f{{end}}{{ end }}`, secret],
  ['TypeIsLike-secret', T`{{ with secret "secret/fixture" }}{{if sprig_typeIsLike "dependency.Secret" .}}t{{else}}f{{end}}{{ end }}`, secret],
  ['KindIs-secret', T`{{ with secret "secret/fixture" }}{{if sprig_kindIs "ptr" .}}t{{else}}f{{end}}{{ end }}`, secret],
]);

const small = [
  ...file('flow_control', numbered('Fail', [T`{{sprig_fail "This is an error!"}}`])),
  ...file('network', numbered('GetHostByName', [T`{{"www.google.com" | sprig_getHostByName}}`])),
  ...file('issue_188', numbered('Issue188', [
    T`{{- $target := sprig_dict -}}
			{{- $one := sprig_dict "foo" (sprig_dict "bar" "baz") "qux" true -}}
			{{- $two := sprig_dict "foo" (sprig_dict "bar" "baz2") "qux" false -}}
			{{- sprig_mergeOverwrite $target $one | sprig_toString | sprig_trunc 0 }}{{ $__ := sprig_mergeOverwrite $target $two }}{{ $one }}`,
    T`{{- $target := sprig_dict -}}
			{{- $one := sprig_dict "foo" (sprig_dict "bar" "baz") "qux" true -}}
			{{- $two := sprig_dict "foo" (sprig_dict "bar" "baz2") "qux" false -}}
			{{- sprig_deepCopy $one | sprig_mergeOverwrite $target | sprig_toString | sprig_trunc 0 }}{{ $__ := sprig_mergeOverwrite $target $two }}{{ $one }}`,
  ])),
  ...file('example', numbered('Example', [[T`Hello {{.Name | sprig_trim | sprig_lower}}`, { data: { Name: '  John Jacob Jingleheimer Schmidt ' } }]])),
];

const htpasswdUsers = [
  { Username: 'myUser', Password: 'myPassword' },
  { Username: "special'o79Cv_*qFe,)<user", Password: 'special<j7+3p#6-.Jx2U:m8G;kGypassword' },
];
const crypto = file('crypto', [
  ...numbered('Sha512Sum', [T`{{"abc" | sprig_sha512sum}}`]),
  ...numbered('Sha256Sum', [T`{{"abc" | sprig_sha256sum}}`]),
  ...numbered('Sha1Sum', [T`{{"abc" | sprig_sha1sum}}`]),
  ...numbered('Adler32Sum', [T`{{"abc" | sprig_adler32sum}}`]),
  // random salts: the hash's prefix and length, and htpasswd's user part
  ...numbered('Bcrypt', [T`{{ $h := "abc" | sprig_bcrypt }}{{ sprig_substr 0 7 $h }} {{ len $h }}`]),
  ...numbered('Htpasswd', [
    ...htpasswdUsers.map((u) => [T`{{ $p := sprig_htpasswd .Username .Password }}{{ $s := sprig_splitList ":" $p }}{{ index $s 0 }} {{ len $s }} {{ index $s 1 | sprig_substr 0 7 }}`, { data: u }] as const),
    [T`{{sprig_htpasswd .Username .Password}}`, { data: { Username: 'wrongus:er', Password: "doesn'tmatter" } }],
  ]),
  ...numbered('DerivePassword', [
    T`{{sprig_derivePassword 1 "long" "password" "user" "example.com"}}`,
    T`{{sprig_derivePassword 2 "long" "password" "user" "example.com"}}`,
    T`{{sprig_derivePassword 1 "maximum" "password" "user" "example.com"}}`,
    T`{{sprig_derivePassword 1 "medium" "password" "user" "example.com"}}`,
    T`{{sprig_derivePassword 1 "basic" "password" "user" "example.com"}}`,
    T`{{sprig_derivePassword 1 "short" "password" "user" "example.com"}}`,
    T`{{sprig_derivePassword 1 "pin" "password" "user" "example.com"}}`,
  ]),
  // not in consul-template's hermetic map
  ...numbered('RandBytes', [T`{{sprig_randBytes 12}}`]),
  ...numbered('UUIDGeneration', [T`{{sprig_uuidv4}}`]),
  ...numbered('EncryptDecryptAES', [T`{{"plaintext" | sprig_encryptAES "secretkey" | sprig_decryptAES "secretkey"}}`]),
]);

export default cases('sprigtest', [
  ...strings, ...functions, ...osPaths, ...list, ...dict, ...defaults, ...numeric, ...regex, ...semver, ...url, ...reflect, ...small, ...crypto,
]);
