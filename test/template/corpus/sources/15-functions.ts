// The last functions of consul-template v0.41.1's map implemented against the oracle (sprig's
// semver, url, date parsing, ...), as regression cases judged by the oracle.
import { cases } from '../case.ts';

const constraints = [
  '>=1.2.3', '^1.2', '~1.2', '1.2.x', '>1.0 <2.0', '>1.0, <2.0 || 3.x', '1.2 - 1.4', '1 - 2 3', '1.x - 2', '*', '!=1.2.3', '=1.2.3', '^0.0.3', '^0.2.3',
  '^0.0', '^0', '~1', '~0.0.0', '~>1.2.3', '=>1.2.3 =<1.5', '>1.x', '>1.2.x', '<=1.2.x', '!=1.2.x', '!=1.x', '>=1.2.3-0', '*-alpha', '>1.2.3-alpha',
  '>= 1.2 ,<3', 'v1.2.3+meta', '<2',
];
const versions = ['1.2.3', '1.3.0', '1.2.9', '1.4.9', '2.0.0', '3.1.0', '0.0.4', '0.2.9', '1.3.0-beta', '1.2.3-beta', '0.0.0', 'v1.5.9'];

export default cases('functions', [
  ['semver-print', '{{ sprig_semver "1.2.3" }}|{{ sprig_semver "v1.2.3-beta.1+build.5" }}|{{ sprig_semver "1" }}|{{ sprig_semver "01.2" }}|{{ printf "%T" (sprig_semver "1.2") }}'],
  ['semver-methods', '{{ $v := sprig_semver "v1.2.3-alpha+b" }}{{ $v.Major }} {{ $v.Minor }} {{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Original }} {{ printf "%T" $v.Major }}'],
  ['semver-compare-methods', '{{ $a := sprig_semver "1.2.3" }}{{ $b := sprig_semver "1.2.4-rc.1" }}{{ $a.Compare $b }} {{ $a.LessThan $b }} {{ $a.GreaterThan $b }} {{ $a.Equal $a }}'],
  ['semver-inc', '{{ (sprig_semver "v1.2.3-a").IncPatch }} {{ (sprig_semver "v1.2.3-a").IncPatch.Major }} {{ (sprig_semver "1.2.3+m").IncMinor }} {{ (sprig_semver "1.2.3").IncMajor | printf "%T" }}'],
  ['semver-inc-pointer-method', '{{ (sprig_semver "1.2.3").IncMajor.Original }}'],
  ['semver-sharp-v', '{{ sprig_semver "1.2.3" | printf "%#v" }}|{{ (sprig_semver "1.2.3").IncMajor | printf "%v %+v" }}'],
  ['semver-json-yaml', '{{ sprig_semver "1.2.3" | toJSON }} {{ sprig_list (sprig_semver "1.2.3-a") | toJSON }} {{ sprig_semver "1.2.3" | toYAML }}'],
  ['semver-invalid', '{{ sprig_semver "bad" }}'],
  ['semver-empty', '{{ sprig_semver "" }}'],
  ['semver-four-parts', '{{ sprig_semver "1.2.3.4" }}'],
  ['semver-space', '{{ sprig_semver " 1.2.3" }}'],
  ['semver-pre-zero', '{{ sprig_semver "1.2.3-01" }}'],
  ['semver-overflow', '{{ sprig_semver "99999999999999999999.0.0" }}'],
  ['semverCompare-table', '{{ range $c := .c }}{{ range $v := $.v }}{{ if sprig_semverCompare $c $v }}1{{ else }}0{{ end }}{{ end }} {{ end }}', { data: { c: constraints, v: versions } }],
  ['semverCompare-prerelease-order', '{{ sprig_semverCompare ">1.0.0-alpha.10" "1.0.0-alpha.9" }} {{ sprig_semverCompare ">1.0.0-alpha" "1.0.0-alpha.beta" }} {{ sprig_semverCompare ">=1.0.0-beta.2" "1.0.0-beta.11" }} {{ sprig_semverCompare ">=1.0.0-rc.1" "1.0.0" }}'],
  ['semverCompare-bad-constraint', '{{ sprig_semverCompare "bad" "1.2.3" }}'],
  ['semverCompare-empty-constraint', '{{ sprig_semverCompare "" "1.2.3" }}'],
  ['semverCompare-double-comma', '{{ sprig_semverCompare ">= 1.2,, <3" "2.0.0" }}'],
  ['semverCompare-trailing-or', '{{ sprig_semverCompare ">1 ||" "2.0.0" }}'],
  ['semverCompare-parser-error', '{{ sprig_semverCompare "1x" "1.0.0" }}'],
  ['semverCompare-bad-version', '{{ sprig_semverCompare ">1" "bad" }}'],
]);
