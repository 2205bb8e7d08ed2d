# shellcheck shell=bash
# Sourced by terraform-1.16.4.sh and the tofu-*.sh scripts: prints the path of a
# terraform-compatible CLI built from its module source on the Go module
# proxy, building it on first use and reusing the cached build afterwards.
#
# `go install` refuses these modules because their go.mod has replace
# directives, but `go mod download` still fetches their source, and inside a
# writable copy of that source the replace lines are honoured. The version
# package's `dev` variable is set to "no" at link time so the binary reports
# a release version (1.16.4, not 1.16.4-dev), as terraform-plugin-testing
# and `required_version` constraints expect.
#
# The binary goes to <Go bin directory>/<name>-<version>/<name>, the layout
# of terraform-1.5.7.sh: the directory can be put first on PATH, and the
# binary keeps its usual name there.
#
# The sourcing script sets these variables, then calls cli_from_proxy:
#   CLI_NAME      binary name: terraform, tofu
#   CLI_MODULE    module path: github.com/hashicorp/terraform
#   CLI_VERSION   version without the leading v: 1.16.4
#   CLI_PACKAGE   main package, relative to the module root: . or ./cmd/tofu
#   CLI_PRODUCT   product name in `<cli> version`: Terraform, OpenTofu
#   CLI_ESTIMATE  rough cold build time, shown while building
# and may define a function cli_patch_source, run in the writable source copy
# before the build.
#
# Output: the binary path on stdout; a one-line banner (built or reused,
# version and path), build progress and errors go to stderr.

cli_die() {
	echo "error: ${CLI_NAME}-${CLI_VERSION}: $*" >&2
	exit 1
}

cli_gobin_dir() {
	local dir
	dir="$(go env GOBIN)"
	if [[ -z "${dir}" ]]; then
		dir="$(go env GOPATH)"
		# The first GOPATH entry is where `go install` puts binaries.
		dir="${dir%%:*}/bin"
	fi
	printf '%s\n' "${dir}"
}

# True when $1 runs and reports exactly the release version, e.g.
# "Terraform v1.16.4" (a build without the ldflags says "v1.16.4-dev").
# The output is captured whole rather than piped into `head`, which could kill
# the CLI with SIGPIPE.
cli_reports_version() {
	local out
	[[ -x "$1" ]] || return 1
	out="$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>/dev/null)" || return 1
	[[ "${out%%$'\n'*}" == "${CLI_PRODUCT} v${CLI_VERSION}" ]]
}

# Everything the build leaves behind lives under cli_tmp, and a partly
# installed binary is cli_partial: both go on any exit, as does a go command
# still running when the script is interrupted.
cli_tmp=""
cli_partial=""
cli_child=""

cli_cleanup() {
	if [[ -n "${cli_child}" ]]; then
		kill -TERM "${cli_child}" 2>/dev/null || true
		wait "${cli_child}" 2>/dev/null || true
		cli_child=""
	fi
	if [[ -n "${cli_partial}" ]]; then
		rm -f "${cli_partial}"
	fi
	if [[ -n "${cli_tmp}" && -d "${cli_tmp}" ]]; then
		# Files copied from the module cache are read-only.
		chmod -R u+w "${cli_tmp}" 2>/dev/null || true
		rm -rf "${cli_tmp}"
	fi
}

# Runs a command in the background and waits for it, so a signal sent to
# this script is handled at once rather than after a build of many minutes.
cli_run() {
	local rc=0
	"$@" &
	cli_child=$!
	wait "${cli_child}" || rc=$?
	cli_child=""
	return "${rc}"
}

cli_from_proxy() {
	local gobin dir bin json moddir src start lock_fd
	local -a ldflags

	command -v go >/dev/null 2>&1 || cli_die "go is not on PATH; it is needed to build the CLI"
	gobin="$(cli_gobin_dir)" || cli_die "cannot ask go for its bin directory"
	dir="${gobin}/${CLI_NAME}-${CLI_VERSION}"
	bin="${dir}/${CLI_NAME}"

	# A cached build is reused only if it still runs and reports the right version.
	if cli_reports_version "${bin}"; then
		echo "${CLI_PRODUCT} v${CLI_VERSION}: reusing ${bin}" >&2
		printf '%s\n' "${bin}"
		return 0
	fi

	trap cli_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM

	mkdir -p "${dir}" || cli_die "cannot create ${dir}"
	# Two runs at once (make -j, two shells) build once: the second waits for
	# the first, then finds its binary.
	if command -v flock >/dev/null 2>&1; then
		exec {lock_fd}>"${dir}/.build.lock" || cli_die "cannot open ${dir}/.build.lock"
		if ! flock -n "${lock_fd}"; then
			echo "${CLI_NAME}-${CLI_VERSION}: another build is running; waiting for it" >&2
			flock "${lock_fd}" || cli_die "cannot lock ${dir}/.build.lock"
		fi
		if cli_reports_version "${bin}"; then
			echo "${CLI_PRODUCT} v${CLI_VERSION}: reusing ${bin}" >&2
			printf '%s\n' "${bin}"
			return 0
		fi
	fi

	echo "building ${CLI_PRODUCT} v${CLI_VERSION} from ${CLI_MODULE} on the Go module proxy (first run only, ${CLI_ESTIMATE})" >&2
	start=${SECONDS}
	cli_tmp="$(mktemp -d "${TMPDIR:-/tmp}/${CLI_NAME}-${CLI_VERSION}-build.XXXXXX")" ||
		cli_die "cannot create a temporary directory"

	# Outside any module (GOWORK=off, a fresh directory) so that no go.mod or
	# go.work around the caller is read or changed. GOFLAGS replaces the
	# caller's: -mod=vendor there breaks module downloads. GOTOOLCHAIN=local:
	# the Go version must be the one installed; a toolchain download is not wanted, so fail at once instead.
	json="$(cd "${cli_tmp}" && GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local \
		go mod download -json "${CLI_MODULE}@v${CLI_VERSION}")" || {
		printf '%s\n' "${json}" | sed -n 's/^[[:space:]]*"Error": //p' >&2
		cli_die "go mod download ${CLI_MODULE}@v${CLI_VERSION} failed (is the Go module proxy reachable, GOPROXY=$(go env GOPROXY), and does it serve this version?)"
	}
	moddir="$(printf '%s\n' "${json}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
	[[ -n "${moddir}" && -d "${moddir}" ]] ||
		cli_die "go mod download printed no source directory for ${CLI_MODULE}@v${CLI_VERSION}"

	src="${cli_tmp}/src"
	cp -R "${moddir}" "${src}" || cli_die "cannot copy ${moddir} to ${src}"
	chmod -R u+w "${src}" || cli_die "cannot make ${src} writable"

	if declare -F cli_patch_source >/dev/null; then
		(cd "${src}" && cli_patch_source) || cli_die "cannot prepare the source in ${src} for building"
	fi

	# GOFLAGS=-mod=mod lets go record requirements the edited go.mod lacks.
	# GOTMPDIR keeps the compiler's work files inside cli_tmp.
	# CGO_ENABLED=0: a static binary, as the releases are.
	ldflags=(-ldflags "-X ${CLI_MODULE}/version.dev=no")
	mkdir -p "${cli_tmp}/out" "${cli_tmp}/gotmp"
	cli_run env GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOTMPDIR="${cli_tmp}/gotmp" \
		go build -C "${src}" "${ldflags[@]}" -o "${cli_tmp}/out/${CLI_NAME}" "${CLI_PACKAGE}" >&2 ||
		cli_die "go build of ${CLI_MODULE}@v${CLI_VERSION} failed (see above)"

	cli_reports_version "${cli_tmp}/out/${CLI_NAME}" ||
		cli_die "the new build does not report ${CLI_PRODUCT} v${CLI_VERSION}"

	# Copy next to the target, then rename: the binary appears whole or not at all.
	cli_partial="${dir}/.${CLI_NAME}.partial.$$"
	cp "${cli_tmp}/out/${CLI_NAME}" "${cli_partial}" || cli_die "cannot copy the binary into ${dir}"
	chmod 0755 "${cli_partial}"
	mv -f "${cli_partial}" "${bin}" || cli_die "cannot install ${bin}"
	cli_partial=""

	cli_reports_version "${bin}" || cli_die "${bin} does not report ${CLI_PRODUCT} v${CLI_VERSION}"
	echo "${CLI_PRODUCT} v${CLI_VERSION}: built in $((SECONDS - start)) s into ${bin}" >&2
	printf '%s\n' "${bin}"
}
