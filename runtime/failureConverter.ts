import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failures' messages and stack traces as an encoded payload (issue 14), so the payload codec
 * encrypts them like any other payload: an activity's error or a refused event's message may
 * quote personal data. The history keeps only "Encoded failure" in plaintext.
 *
 * Loaded by path (the SDK's `failureConverterPath`) into the worker, and bundled into the
 * workflow sandbox by every bundleWorkflowCode call: so it imports only @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
