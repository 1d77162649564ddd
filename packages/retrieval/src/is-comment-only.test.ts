import { describe, expect, it } from '@jest/globals';
import { isCommentOnly } from './is-comment-only.js';

describe('isCommentOnly', () => {
  it.each([
    ['// Copyright 2024\n// Licensed under MIT\n'],
    ['/*\n * Licence\n */'],
    ['# header\n\n# more\n'],
    ['-- SQL note'],
    ['//! The crate docs.\n//! More.'],
    ['// old code:\n// return compute(x);'],
  ])('reads %j as comments only', (text) => {
    expect(isCommentOnly(text)).toBe(true);
  });

  it.each([
    ['// note\nconst x = 1;'],
    ['#include <stdio.h>\n// main'],
    ['#[derive(Debug)]\n// doc'],
    ['#!/usr/bin/env python\n# script'],
    ['\n\n'],
    ['import os'],
  ])('reads %j as code', (text) => {
    expect(isCommentOnly(text)).toBe(false);
  });
});
