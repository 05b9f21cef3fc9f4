"""Wheel build hook: compile the per-document hot path (readers, checks, patterns, model, engine/lint.py) with mypyc.

Compiled, a dump is read and checked with about 30% less CPU. The compiling is done by
hatch-mypyc; this hook only decides when:
- an editable install stays pure Python, so an edit to a `.py` file takes effect at once
  (compiled modules left in the tree by an earlier build are removed);
- a machine that cannot compile (no C compiler or Python headers) gets a working pure-Python
  wheel and a warning, not a failed install;
- `HATCH_BUILD_NO_HOOKS=true` builds a pure-Python wheel on purpose.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledWheel(BuildHookInterface):
    def _mypyc(self) -> Any:
        from hatch_mypyc.plugin import MypycBuildHook

        return MypycBuildHook(self.root, self.config, self.build_config, self.metadata, self.directory,
                              self.target_name, self.app)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        compiler = self._mypyc()
        compiler.clean([version])
        if version == "editable":
            return
        try:
            compiler.initialize(version, build_data)
        except Exception as exc:  # the compiler's own report; the wheel still works without it
            compiler.clean([version])
            self.app.display_warning(f"provlint: mypyc compilation failed, building pure Python instead:\n{exc}")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        # The compiled modules are in the wheel now; in the source tree they would shadow its `.py` files.
        self._mypyc().clean([version])
