import { describe, expect, it } from '@jest/globals';
import { isImportOnly } from './is-import-only.js';

describe('isImportOnly', () => {
  it.each([
    ['rust', '#[cfg(feature = "ws")]\nuse crate::extract::ws;\nuse std::{\n    fmt,\n    sync::Arc,\n};\n'],
    [
      'rust crates and modules',
      '#![allow(unused)]\nextern crate alloc;\npub(crate) mod routing;\nmod b;\npub(super) use self::b::B;',
    ],
    ['rust multi-line attribute', '#[cfg(any(\n    feature = "a",\n    feature = "b",\n))]\nuse crate::x;'],
    [
      'python',
      '#!/usr/bin/env python\nimport os\nfrom . import models\nfrom typing import (\n    Any,\n    Optional,\n)\n',
    ],
    [
      'javascript',
      "'use strict';\nimport x from './x';\nimport {\n  a,\n  b,\n} from 'y';\nconst { c } = require('c');",
    ],
    ['go', 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n'],
    ['java', 'package org.example;\n\nimport java.util.List;\nimport static org.junit.Assert.*;'],
    ['kotlin', 'package org.example\n\nimport kotlinx.coroutines.launch'],
    ['c', '#pragma once\n#include <stdio.h>\n#include "local.h" // local'],
    ['c#', 'using System;\nusing static System.Math;\nglobal using Foo = Bar.Baz;\nnamespace App.Web;'],
    ['ruby', "require 'json'\nrequire_relative 'helper'"],
    ['php', "<?php\ndeclare(strict_types=1);\nnamespace App\\Http;\nuse Foo\\Bar;\nrequire_once 'x.php';"],
    ['imports among comments', '// Licence\n/* note */\nuse a::b;\n\n// more\nuse c::d;'],
  ])('reads the %s form as imports only', (_language, text) => {
    expect(isImportOnly(text)).toBe(true);
  });

  it.each([
    ['a definition after imports', 'use a::b;\n\nfn main() {}'],
    ['comments only', '// Licence\n// MIT'],
    ['blank', '\n\n'],
    ['python code', 'import os\nprint(os.getcwd())'],
    ['a python comment opening a bracket', 'import os\n# see (below\nx = 1'],
    ['a hook call', 'useEffect(() => {});'],
    ['a rust module with a body', 'mod tests {\n    use super::*;\n}'],
    ['an include guard', '#ifndef A_H\n#define A_H\n#include <stdio.h>'],
    ['a local export list', 'export { a, b };'],
    ['a c# using block', 'using (var file = Open()) {\n  file.Read();\n}'],
    ['rust public re-exports', 'use http::header;\nmod form;\n\n#[cfg(feature = "form")]\npub use self::form::Form;'],
    ['a rust public module', 'mod a;\npub mod b;'],
    ['typescript re-exports', "import type { E } from './e';\nexport * from './a';\nexport { c as d } from './c';"],
    ['a go function', 'package main\n\nfunc main() {}'],
  ])('reads %s as not imports only', (_case, text) => {
    expect(isImportOnly(text)).toBe(false);
  });
});
