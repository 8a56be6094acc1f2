/**
 * The OCR engine (or one of its language packs, or poppler) is not installed. This is a fault of
 * the machine, not of the document: it is not a DocumentError, so a caller does not quarantine a
 * good scan because a package is missing. The message names the Debian package to install.
 */
import { DeskhandError } from '../../shared/errors.ts';

export class OcrEngineMissingError extends DeskhandError {
  /** The Debian package that provides what is missing, e.g. `tesseract-ocr-deu`. */
  readonly debianPackage: string;
  constructor(what: string, debianPackage: string, context: Record<string, unknown> = {}) {
    super(
      'OCR_ENGINE_MISSING',
      `${what} is not installed: install the Debian package ${debianPackage} (apt-get install -y ${debianPackage}, or bash scripts/stack.sh deps).`,
      { retryable: false, context: { ...context, debianPackage } },
    );
    this.name = 'OcrEngineMissingError';
    this.debianPackage = debianPackage;
  }
}
