import { escapePackage, imageRef, packageName, repositoryName } from './artifact-registry-names.js';
import { tagsOf } from './artifact-registry-store.js';
import type { StoredPackage, StoredVersion } from './artifact-registry-store.js';
import { timestamp } from './cloud-run-codec.js';

const MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

/** A `Tag`: full tag name and the full name of the version it points at. */
export function tagMessage(pkg: StoredPackage, tag: string) {
  return {
    name: `${packageName(pkg.coordinates)}/tags/${tag}`,
    version: `${packageName(pkg.coordinates)}/versions/${pkg.tags[tag] ?? ''}`,
  };
}

/** A `Version` named by its digest; `related_tags` only in the FULL view, as the API does. */
export function versionMessage(pkg: StoredPackage, version: StoredVersion, full: boolean) {
  return {
    name: `${packageName(pkg.coordinates)}/versions/${version.digest}`,
    create_time: timestamp(new Date(version.createTime)),
    update_time: timestamp(new Date(version.updateTime)),
    ...(full
      ? { related_tags: tagsOf(pkg, version.digest).map((tag) => tagMessage(pkg, tag)) }
      : {}),
  };
}

/** A `DockerImage`: `…/dockerImages/IMAGE@sha256:…` with the package escaped, bare tag names. */
export function dockerImage(pkg: StoredPackage, version: StoredVersion) {
  const escaped = escapePackage(pkg.coordinates.image);
  return {
    name: `${repositoryName(pkg.coordinates)}/dockerImages/${escaped}@${version.digest}`,
    uri: `${imageRef(pkg.coordinates)}@${version.digest}`,
    tags: tagsOf(pkg, version.digest),
    image_size_bytes: String(version.sizeBytes),
    upload_time: timestamp(new Date(version.createTime)),
    media_type: MEDIA_TYPE,
    update_time: timestamp(new Date(version.updateTime)),
  };
}
