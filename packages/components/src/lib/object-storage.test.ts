import { describe, expect, it } from 'vitest';
import { endpointPorts } from './object-storage';

describe('endpointPorts', () => {
  it('always opens 443 and adds the port each endpoint names', () => {
    expect(endpointPorts()).toEqual([443]);
    expect(endpointPorts('', 'https://s3.example.com')).toEqual([443]);
    expect(endpointPorts('https://keystone.example.com:5000/v3', 'https://rgw.example.com:8080')).toEqual([443, 5000, 8080]);
  });

  it('knows plain http means port 80, and ignores what is not a URL', () => {
    expect(endpointPorts('http://minio.example.com')).toEqual([443, 80]);
    expect(endpointPorts('minio.example.com:9000')).toEqual([443]);
  });
});
