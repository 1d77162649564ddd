import { create, createRegistry, toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { Code, type ServiceImpl } from '@connectrpc/connect';
import {
  type ServerReflection,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from '@conexus/api';

/** grpc.reflection.v1: lets grpcurl and similar tools list the served services and fetch their descriptors. */
export function createServerReflection(services: readonly DescService[]): ServiceImpl<typeof ServerReflection> {
  const withDependencies = (file: DescFile, seen = new Set<string>()): DescFile[] => {
    if (seen.has(file.name)) return [];
    seen.add(file.name);
    return [file, ...file.dependencies.flatMap((dependency) => withDependencies(dependency, seen))];
  };
  const served = [...new Set(services.map((service) => service.file))];
  const byName = new Map(served.flatMap((file) => withDependencies(file)).map((file) => [file.name + '.proto', file]));
  const registry = createRegistry(...byName.values());
  const files = (file: DescFile | undefined): ServerReflectionResponse['messageResponse'] =>
    file
      ? {
          case: 'fileDescriptorResponse',
          value: {
            $typeName: 'grpc.reflection.v1.FileDescriptorResponse',
            fileDescriptorProto: withDependencies(file).map((each) => toBinary(FileDescriptorProtoSchema, each.proto)),
          },
        }
      : {
          case: 'errorResponse',
          value: { $typeName: 'grpc.reflection.v1.ErrorResponse', errorCode: Code.NotFound, errorMessage: 'not found' },
        };
  const containing = (symbol: string): DescFile | undefined => {
    const found = registry.get(symbol) ?? registry.get(symbol.slice(0, symbol.lastIndexOf('.')));
    return found && 'file' in found ? found.file : undefined;
  };
  const answer = (request: ServerReflectionRequest): ServerReflectionResponse => {
    const query = request.messageRequest;
    let messageResponse: ServerReflectionResponse['messageResponse'];
    if (query.case === 'listServices') {
      messageResponse = {
        case: 'listServicesResponse',
        value: {
          $typeName: 'grpc.reflection.v1.ListServiceResponse',
          service: services.map((service) => ({
            $typeName: 'grpc.reflection.v1.ServiceResponse',
            name: service.typeName,
          })),
        },
      };
    } else if (query.case === 'fileByFilename') {
      messageResponse = files(byName.get(query.value));
    } else if (query.case === 'fileContainingSymbol') {
      messageResponse = files(containing(query.value));
    } else {
      messageResponse = {
        case: 'errorResponse',
        value: {
          $typeName: 'grpc.reflection.v1.ErrorResponse',
          errorCode: Code.Unimplemented,
          errorMessage: 'not supported',
        },
      };
    }
    return create(ServerReflectionResponseSchema, {
      validHost: request.host,
      originalRequest: request,
      messageResponse,
    });
  };
  return {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) yield answer(request);
    },
  };
}
